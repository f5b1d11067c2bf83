/**
 * The HTTP application (fastify): plugins, hooks, the central error mapping, and every route from
 * routes/. `buildApp` opens no port, so tests drive it with `app.inject()`; server.ts listens.
 * Framework choice: docs/decisions/0007-http-service-fastify.md.
 */
import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { LoadResult } from '../data/load.js';
import { isBookingRefusal } from '../booking/decide.js';
import { isCorridorError } from '../model/errors.js';
import { problemFromRefusal } from './booking-errors.js';
import type { Store } from '../store/store.js';
import type { ServiceConfig } from './config.js';
import { ServiceContext, storeCatalog } from './context.js';
import { WebhookDispatcher } from '../notify/webhook.js';
import { BookingService } from '../service/bookings.js';
import { bookedShipments } from '../service/booked-shipments.js';
import { InProcessScheduler, type Scheduler } from '../service/scheduler.js';
import { QueueScheduler } from './jobs/queue-scheduler.js';
import { CorridorService } from '../service/service.js';
import { World } from '../service/world.js';
import { createHighsSolver } from '../solver/highs.js';
import { problemFromCorridorError } from './corridor-errors.js';
import { RouteTable } from './define-route.js';
import { KeyService } from './keys.js';
import { RateLimiter } from './rate-limit.js';
import { httpDuration } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE, problemBody, type ProblemCode, rawClientErrorResponse } from './problem.js';
import { registerAssignments } from './routes/assignments.js';
import { registerBookings } from './routes/bookings.js';
import { registerDcsa } from './routes/dcsa.js';
import { registerHealth } from './routes/health.js';
import { registerKeys } from './routes/keys.js';
import { registerLocations } from './routes/locations.js';
import { registerNetwork } from './routes/network.js';
import { registerDemand } from './routes/demand.js';
import { registerMeta } from './routes/meta.js';
import { registerPlans } from './routes/plans.js';
import { registerQuotes } from './routes/quotes.js';
import { registerRoutes } from './routes/routes.js';
import { registerScenarios } from './routes/scenarios.js';
import { registerSweeps } from './routes/sweeps.js';
import { registerOperators } from './routes/operators.js';
import { registerEventSubscriptions } from './routes/event-subscriptions.js';
import { registerEvents, registerEventStream, TNT_API_VERSION } from './routes/events.js';
import { PublishedWorld } from './publications.js';
import type { JobsView as Jobs } from './jobs/jobs-view.js';
import { capConnectionsPerAddress } from './guards/connections.js';
import { registerWebPage } from './web-page.js';
import { worldPlaces } from '../data/gazetteer.js';
import { nth } from '../model/invariant.js';
import { RequestPool } from './request-pool.js';

export const API_VERSION = '0.1.0';

export interface AppOptions {
  config: ServiceConfig;
  load: LoadResult;
  store: Store;
  /** The job engine's API side (submit, find, list, cancel); without it job routes answer 503. */
  jobs?: Jobs;
  /** The built web planner served at `/` (default dist/web). */
  webDir?: string;
  /** Deferred work (hold expiry, sweeps); default the job engine's queues, or in-process timers without one. */
  scheduler?: Scheduler;
  /** Today's date (YYYY-MM-DD) for answers priced "today" (default: the system clock, UTC). */
  today?: () => string;
  /** Computes uncached answers (default: `config.requestWorkers` threads, none at 0); the app closes it. */
  requestPool?: RequestPool;
}

function bearerKey(h: {
  authorization?: string | undefined;
  'x-api-key'?: string | string[] | undefined;
}): string | undefined {
  if (h.authorization !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h.authorization);
    if (!m)
      throw new HttpProblem(
        'unauthorized',
        'the Authorization header must be `Bearer <key>`',
        {},
        { 'www-authenticate': 'Bearer' },
      );
    return m[1];
  }
  const x = h['x-api-key'];
  return Array.isArray(x) ? x[0] : x;
}

const STATUS_CODES: Record<number, ProblemCode> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
};

/** Every endpoint of the API, in one table (also what the auth and fuzz tests enumerate). */
export function buildRouteTable(): RouteTable {
  const table = new RouteTable();
  let doc: Record<string, unknown> | undefined;
  registerHealth(table);
  registerMeta(table, () => (doc ??= openApiDocument(table.specs, API_VERSION)));
  registerLocations(table);
  registerNetwork(table);
  registerRoutes(table);
  registerPlans(table);
  registerQuotes(table);
  registerScenarios(table);
  registerAssignments(table);
  registerSweeps(table);
  registerDemand(table);
  registerKeys(table);
  registerOperators(table);
  registerDcsa(table);
  registerEvents(table);
  registerEventStream(table);
  registerEventSubscriptions(table);
  registerBookings(table);
  return table;
}

export async function buildApp(opts: AppOptions): Promise<{ app: FastifyInstance; ctx: ServiceContext }> {
  const { config, load, store } = opts;
  const requestPool =
    opts.requestPool ??
    (config.requestWorkers > 0
      ? new RequestPool({ size: config.requestWorkers, queueBound: config.requestQueue, dataDir: load.dir })
      : undefined);
  const service = new CorridorService({
    ...(requestPool ? { offload: requestPool } : {}),
    world: new World(load.dataset),
    catalog: storeCatalog(store),
    solver: () => createHighsSolver(),
    places: worldPlaces,
    ...(opts.today ? { today: opts.today } : {}),
  });
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]'], censor: '[redacted]' },
          },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    // Node checks these timeouts every connectionsCheckingInterval (default 30 s): 1 s makes them hold.
    http: { headersTimeout: config.headersTimeoutMs, connectionsCheckingInterval: 1000 },
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    // Errors of Node's HTTP parser, before a request exists: oversized headers (431), bytes that are
    // not HTTP (400). Fastify's default answers them in plain JSON.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return;
      socket.end(rawClientErrorResponse(err.code));
    },
    // Errors raised before routing (a malformed percent-encoding, an over-long path parameter).
    frameworkErrors: (err, req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      const code: ProblemCode = status === 414 ? 'invalid-parameter' : (STATUS_CODES[status] ?? 'invalid-parameter');
      const path = nth((req.url ?? '').split('?'), 0).slice(0, 300);
      void (reply as unknown as FastifyReply)
        .code(status)
        .type(PROBLEM_CONTENT_TYPE)
        .send(
          problemBody(
            code,
            err.code === 'FST_ERR_BAD_URL'
              ? 'the URL is not valid (malformed percent-encoding?)'
              : `the request URL is not valid: ${err.message.slice(0, 120)}`,
            path,
            { status },
          ),
        );
    },
  });

  if (requestPool) requestPool.onInternalError = (message, detail) => app.log.error({ detail }, message);
  // The effective dataset = files + operator publications, from the first request on: each new
  // revision becomes a new World in the service, installed in one step.
  let ctx: ServiceContext | undefined;
  const published = new PublishedWorld(store, load.dataset, (world, revision, applied, heldBack) => {
    for (const h of heldBack)
      app.log.warn(
        { operator: h.operator, kind: h.kind, target: h.target, problems: h.problems },
        'operator publication held back: it no longer fits the data files',
      );
    service.install(new World(world, revision, applied));
    ctx?.routeUrlCache.clear();
  });
  await published.refresh();
  const onScheduledError = (kind: string, e: unknown) => app.log.warn({ err: e, kind }, 'scheduled job failed');
  // With a job engine, deferred work is durable and runs once per deployment; without, timers.
  const scheduler =
    opts.scheduler ??
    (opts.jobs ? new QueueScheduler(opts.jobs.queue, onScheduledError) : new InProcessScheduler(onScheduledError));
  const bookings = new BookingService({
    corridor: service,
    repo: store.bookings,
    scheduler,
    holdMinutes: config.bookingHoldMinutes,
  });
  const context = new ServiceContext(
    config,
    load,
    store,
    new KeyService(store),
    service,
    published,
    bookings,
    opts.jobs,
  );
  ctx = context;
  context.connections = capConnectionsPerAddress(app.server, config.maxConnectionsPerIp);
  context.tracking.directory = bookedShipments(store.bookings);
  context.tracking.onError = (e) => app.log.warn({ err: e }, 'forecast failed');

  // Error mapping first: contexts created later (plugins, the 404 route) inherit it.
  app.setErrorHandler((err: FastifyError | HttpProblem | Error, req, reply) => {
    let p: HttpProblem;
    if (err instanceof HttpProblem) p = err;
    else if (isCorridorError(err)) p = problemFromCorridorError(err);
    else if (isBookingRefusal(err)) p = problemFromRefusal(err);
    else {
      const fe = err as FastifyError;
      const status = fe.statusCode ?? 500;
      if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        p = new HttpProblem('payload-too-large', `the request body exceeds ${config.bodyLimitBytes} bytes`);
      else if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
        p = new HttpProblem(
          'unsupported-media-type',
          `send the body as application/json (got ${String(req.headers['content-type']).slice(0, 60)})`,
        );
      else if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
        p = new HttpProblem('malformed-json', 'the body is empty but Content-Type says application/json');
      else if (status === 400 && (fe.code?.startsWith('FST_ERR_CTP') || err instanceof SyntaxError))
        p = new HttpProblem('malformed-json', `the body is not valid JSON: ${err.message.slice(0, 120)}`);
      else if (status === 429) p = new HttpProblem('rate-limited', 'rate limit exceeded; see Retry-After');
      else if (status >= 400 && status < 500)
        p = new HttpProblem(STATUS_CODES[status] ?? 'invalid-parameter', err.message.slice(0, 200));
      else {
        req.log.error({ err }, 'internal error');
        p = new HttpProblem(
          status === 503 ? 'unavailable' : 'internal',
          status === 503 ? 'the service is not available' : 'internal error; quote requestId when reporting it',
          { requestId: req.id },
        );
      }
    }
    if (p.status >= 500 && p.code !== 'internal') req.log.warn({ code: p.code }, p.detail);
    reply
      .code(p.status)
      .headers(p.headers)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        problemBody(
          p.code,
          p.detail,
          nth(req.url.split('?'), 0).slice(0, 300),
          p.status >= 500 ? { ...p.extra, requestId: req.id } : p.extra,
        ),
      );
  });

  app.setNotFoundHandler((req, reply) => {
    reply
      .code(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        problemBody(
          'not-found',
          `no endpoint ${req.method} ${nth(req.url.split('?'), 0).slice(0, 200)}; see /openapi.json or /docs`,
          nth(req.url.split('?'), 0).slice(0, 300),
        ),
      );
  });

  // Metrics: every request is timed, refused ones included.
  app.addHook('onResponse', async (req, reply) => {
    httpDuration.observe(
      { route: req.routeOptions.url ?? 'unmatched', method: req.method, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // Who is calling (before rate limiting, which keys on it). Bad keys: guards/auth-throttle.ts.
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (req) => {
    const key = bearerKey(req.headers as Record<string, string | undefined>);
    if (key === undefined || key === '') return;
    const v = await context.keys.check(key, req.ip);
    if (v.kind === 'throttled')
      throw new HttpProblem(
        'rate-limited',
        `too many attempts with invalid API keys from this address; retry in ${v.retryAfterS} s`,
        {},
        { 'retry-after': String(v.retryAfterS) },
      );
    if (v.kind === 'invalid')
      throw new HttpProblem(
        'unauthorized',
        'the API key is not valid (unknown, revoked or mistyped)',
        {},
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
    req.principal = v.principal;
  });

  // Rate limits per key, else per address; health checks are exempt.
  const limiter = new RateLimiter();
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-request-id', req.id);
    if (req.url === '/health' || req.url === '/ready') return;
    const wait = req.principal
      ? limiter.hit(`k:${req.principal.keyId}`, config.rateLimitKeyPerMin)
      : limiter.hit(`a:${req.ip}`, config.rateLimitAnonymousPerMin);
    if (wait > 0)
      throw new HttpProblem(
        'rate-limited',
        `rate limit exceeded (${
          req.principal
            ? `${config.rateLimitKeyPerMin} per minute for this key`
            : `${config.rateLimitAnonymousPerMin} per minute per address without a key`
        }); retry in ${wait} s`,
        {},
        { 'retry-after': String(wait) },
      );
  });
  await app.register(cors, {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
    allowedHeaders: ['Authorization', 'X-API-Key', 'Content-Type', 'If-Match', 'API-Version', 'Idempotency-Key'],
    exposedHeaders: ['ETag', 'Location', 'API-Version', 'Next-Page-Cursor', 'Retry-After'],
  });

  // A railway's event feed may come as NDJSON (POST /v2/events): the route splits the lines.
  app.addContentTypeParser(['application/x-ndjson', 'application/jsonl'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );

  const table = buildRouteTable();
  const doc = openApiDocument(table.specs, API_VERSION);

  await app.register(swagger, { mode: 'static', specification: { document: doc as never } });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true }, staticCSP: true });
  table.register(app, context);
  await registerWebPage(app, opts.webDir);

  published.start(config.publicationPollMs, (e) => app.log.warn({ err: e }, 'reading operator publications failed'));
  bookings.startSweeps(config.bookingSweepMs);
  const notifier = new WebhookDispatcher(store.outbox, {
    leaseMs: config.webhookLeaseMs,
    maxAttempts: config.webhookMaxAttempts,
    baseDelayMs: config.webhookRetryBaseMs,
    apiVersion: TNT_API_VERSION,
    beforeRound: () => context.eventSubscriptions.fanOut(new Date().toISOString()),
    onError: (e) => app.log.warn({ err: e }, 'webhook delivery failed'),
  });
  notifier.start(config.webhookPollMs);
  app.addHook('onClose', async () => {
    published.stop();
    await requestPool?.close();
    await notifier.stop();
    if (!opts.scheduler) await scheduler.stop();
    context.closing = true;
  });
  return { app, ctx: context };
}
