/**
 * The HTTP application (fastify): plugins, hooks, the central error mapping, and every route from
 * routes/. `buildApp` opens no port, so tests drive it with `app.inject()`; server.ts listens.
 * Framework choice: docs/decisions/0007-http-service-fastify.md.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { LoadResult } from '../data/load.js';
import { isBookingRefusal } from '../booking/decide.js';
import { isCorridorError } from '../model/errors.js';
import { problemFromRefusal } from './booking-errors.js';
import type { Store } from '../store/store.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import type { ServiceConfig, TrustProxy } from './config.js';
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
import {
  HttpProblem,
  invalid,
  PROBLEM_CONTENT_TYPE,
  problemBody,
  type ProblemCode,
  rawClientErrorResponse,
  shorten,
} from './problem.js';
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

/**
 * Browser features the page and the API never use, switched off for them and anything they embed.
 * Only features every current browser recognizes: an unknown name is a console error.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'usb=()',
].join(', ');

/** Seconds a client should wait before retrying a 503 (database unreachable, shutting down). */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/** Headers every response carries, errors before routing included. */
function securityHeaders(set: (name: string, value: string) => unknown): void {
  set('x-content-type-options', 'nosniff');
  set('permissions-policy', PERMISSIONS_POLICY);
}

/**
 * A query string whose percent-encoding is not UTF-8 (`?q=%FF`): fastify's parser would pass the
 * raw text on as if it were the value. Named like any other bad parameter.
 */
function checkQueryEncoding(url: string): void {
  const q = url.indexOf('?');
  if (q < 0 || !url.includes('%', q)) return;
  for (const part of url.slice(q + 1).split('&')) {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      const eq = part.indexOf('=');
      let name = eq < 0 ? part : part.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        name = '?';
      }
      throw invalid('query', [
        {
          field: `query.${shorten(name, 40)}`,
          message: 'is not valid percent-encoded UTF-8 (each %XX byte sequence must spell UTF-8 text)',
          value: shorten(eq < 0 ? part : part.slice(eq + 1)),
        },
      ]);
    }
  }
}

/**
 * fastify 5.12 makes a bare hop count trust nobody (it cannot check the peer); the setting keeps
 * its usual meaning — the nearest n peers are proxies, the address before them is the client — as
 * a trust function, for servers only the proxies can reach (docs/security.md "Client address").
 */
function trustProxyOption(t: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof t !== 'number') return t;
  return (_address, hop) => hop < t;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
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
    trustProxy: trustProxyOption(config.trustProxy),
    genReqId: () => randomUUID(),
    // Node checks these timeouts every connectionsCheckingInterval (default 30 s): 1 s makes them hold.
    http: { headersTimeout: config.headersTimeoutMs, connectionsCheckingInterval: 1000 },
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // Closing is answered by our hook below, in problem+json (fastify's own 503 is plain JSON).
    return503OnClosing: false,
    routerOptions: { maxParamLength: 200 },
    // Errors of Node's HTTP parser, before a request exists: oversized headers (431), bytes that are
    // not HTTP (400). Fastify's default answers them in plain JSON.
    // The socket is closed after the answer: the parser cannot find where the next request starts.
    clientErrorHandler: (err, socket) => {
      if (err.code === 'ECONNRESET' || !socket.writable) {
        socket.destroy();
        return;
      }
      const packet: unknown = err.rawPacket;
      const head = Buffer.isBuffer(packet) && packet.subarray(0, 5).toString('latin1') === 'HEAD ';
      const answer = () =>
        socket.end(
          rawClientErrorResponse(err.code, { head, extraHeaders: { 'Permissions-Policy': PERMISSIONS_POLICY } }),
        );
      // A pipelined request broke while an earlier one is still being answered: that answer first,
      // else the client would read our error as the earlier request's response.
      const inFlight = (socket as { _httpMessage?: ServerResponse })._httpMessage;
      if (inFlight && !inFlight.writableFinished) inFlight.once('finish', answer);
      else answer();
    },
    // Errors raised before routing (a malformed percent-encoding, an over-long path parameter).
    frameworkErrors: (err, req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      const code: ProblemCode = status === 414 ? 'invalid-parameter' : (STATUS_CODES[status] ?? 'invalid-parameter');
      const path = nth((req.url ?? '').split('?'), 0).slice(0, 300);
      const r = reply as unknown as FastifyReply;
      securityHeaders((n, v) => r.header(n, v));
      void r
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
      else if (fe.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH')
        p = new HttpProblem(
          'bad-request',
          'the body is not as long as its Content-Length header says',
          {},
          { connection: 'close' },
        );
      else if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
        p = new HttpProblem('malformed-json', 'the body is empty but Content-Type says application/json');
      else if (status === 400 && (fe.code?.startsWith('FST_ERR_CTP') || err instanceof SyntaxError))
        p = new HttpProblem('malformed-json', `the body is not valid JSON: ${err.message.slice(0, 120)}`);
      else if (status === 429) p = new HttpProblem('rate-limited', 'rate limit exceeded; see Retry-After');
      else if (status >= 400 && status < 500)
        p = new HttpProblem(STATUS_CODES[status] ?? 'invalid-parameter', err.message.slice(0, 200));
      else if (isStoreUnavailable(err)) {
        // The database is down or restarting: a retry may work, so not a 500 (the cause goes to the log).
        req.log.warn({ err }, 'database unavailable');
        p = new HttpProblem('unavailable', 'the database does not answer; retry later', {
          reason: 'database-unavailable',
        });
      } else {
        req.log.error({ err }, 'internal error');
        p = new HttpProblem(
          status === 503 ? 'unavailable' : 'internal',
          status === 503 ? 'the service is not available' : 'internal error; quote requestId when reporting it',
          { requestId: req.id },
        );
      }
    }
    if (p.status >= 500 && p.code !== 'internal') req.log.warn({ code: p.code }, p.detail);
    const headers =
      p.code === 'unavailable' && p.headers['retry-after'] === undefined
        ? { ...p.headers, 'retry-after': String(UNAVAILABLE_RETRY_AFTER_S) }
        : p.headers;
    reply
      .code(p.status)
      .headers(headers)
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

  // First for every request, so refusals carry them too: security headers, shutdown, the query's encoding.
  app.addHook('preClose', async () => {
    context.closing = true;
  });
  app.addHook('onRequest', async (req, reply) => {
    securityHeaders((n, v) => reply.header(n, v));
    reply.header('x-request-id', req.id);
    if (context.closing)
      throw new HttpProblem(
        'unavailable',
        'the server is shutting down; retry (another instance will answer)',
        {},
        { connection: 'close', 'retry-after': '1' },
      );
    checkQueryEncoding(req.url);
  });

  // Who is calling (before rate limiting, which keys on it). Bad keys: guards/auth-throttle.ts.
  app.decorateRequest('principal', undefined);
  app.decorateRequest('metricsToken', false);
  app.addHook('onRequest', async (req) => {
    const key = bearerKey(req.headers as Record<string, string | undefined>);
    if (key === undefined || key === '') return;
    // The scraper's token reads /metrics and nothing else; it is not an API key.
    if (config.metricsToken !== undefined && req.url === '/metrics' && sameSecret(key, config.metricsToken)) {
      req.metricsToken = true;
      return;
    }
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
  app.addHook('onRequest', async (req) => {
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

  // Bodies are JSON (or NDJSON below): fastify's default text/plain parser would hand a route a
  // string to reject as an invalid body; it is the media type that is wrong (415).
  app.removeContentTypeParser('text/plain');
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
