/**
 * Server configuration from the environment, validated once at start: a bad value stops the
 * server with a message naming the variable and what would be valid.
 */
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DEFAULT_DATABASE_URL } from '../store/open.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const EnvSchema = z.object({
  PORT: int(0, 65535).default(8080),
  HOST: z.string().min(1).default('localhost'),
  DATABASE_URL: z.string().min(1).default(DEFAULT_DATABASE_URL),
  CORRIDOR_DATA: z.string().min(1).optional(),
  CORRIDOR_ANONYMOUS_READ: bool.default(true),
  CORRIDOR_METRICS_PUBLIC: bool.default(false),
  METRICS_TOKEN: z.string().min(24, 'at least 24 characters').max(512).optional(),
  CORS_ORIGINS: z.string().default(''),
  RATE_LIMIT_ANONYMOUS_PER_MIN: int(1, 10_000_000).default(600),
  RATE_LIMIT_KEY_PER_MIN: int(1, 10_000_000).default(6000),
  BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  JOB_WORKERS: int(0, 64).default(1),
  REQUEST_WORKERS: int(0, 64).optional(),
  REQUEST_QUEUE: int(0, 100_000).default(128),
  JOB_POLL_MS: int(50, 60_000).default(500),
  JOB_EXPIRE_S: int(1, 86_400).optional(),
  JOB_SHUTDOWN_MS: int(0, 3_600_000).default(30_000),
  PUBLICATION_POLL_MS: int(0, 3_600_000).default(5000),
  ROUTE_CACHE_ENTRIES: int(0, 1_000_000).default(5000),
  ROUTE_CACHE_MB: int(1, 100_000).default(64),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.string().default('false'),
  MAX_CONNECTIONS_PER_IP: int(0, 1_000_000).default(100),
  HEADERS_TIMEOUT_MS: int(1000, 600_000).default(10_000),
  REQUEST_TIMEOUT_MS: int(1000, 3_600_000).default(60_000),
  KEEP_ALIVE_TIMEOUT_MS: int(100, 600_000).default(5_000),
  BOOKING_HOLD_MINUTES: z.coerce
    .number()
    .min(0.01)
    .max(7 * 24 * 60)
    .default(30),
  BOOKING_SWEEP_MS: int(0, 3_600_000).default(60_000),
  WEBHOOK_POLL_MS: int(0, 3_600_000).default(2000),
  WEBHOOK_LEASE_MS: int(100, 3_600_000).default(60_000),
  WEBHOOK_MAX_ATTEMPTS: int(1, 100).default(12),
  WEBHOOK_RETRY_BASE_MS: int(1, 3_600_000).default(10_000),
});

export interface ServiceConfig {
  port: number;
  host: string;
  databaseUrl: string;
  dataDir: string | undefined;
  /** GET requests for the public dataset need no key. */
  anonymousRead: boolean;
  /** `/metrics` needs no key (default false: an admin key or `metricsToken`). */
  metricsPublic: boolean;
  /** A bearer token that reads `/metrics` only (for a Prometheus scraper), instead of an admin key. */
  metricsToken: string | undefined;
  /** Origins allowed by CORS; empty = no cross-origin access. */
  corsOrigins: string[];
  rateLimitAnonymousPerMin: number;
  rateLimitKeyPerMin: number;
  bodyLimitBytes: number;
  /** Worker threads for jobs; 0 = this instance runs no jobs (API only). */
  jobWorkers: number;
  /**
   * Worker threads computing uncached routes, quotes and plans (default: one per core); 0 = on the
   * request thread (tests, small deployments).
   */
  requestWorkers: number;
  /** Computations that may wait for a request worker; beyond it a request gets 503 with Retry-After. */
  requestQueue: number;
  /** How often idle job workers look for work. */
  jobPollMs: number;
  /** Seconds after which a running job whose worker died is retried, for every kind (default: per kind). */
  jobExpireS: number | undefined;
  /** On shutdown, how long running jobs may finish before they are handed back to the queue. */
  jobShutdownMs: number;
  /** How often an instance checks the database for operator publications made elsewhere; 0 = never. */
  publicationPollMs: number;
  routeCacheEntries: number;
  /** Bound on each of the two route caches (by query, by URL), in MiB. */
  routeCacheMb: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * Which peers may set the client address with `X-Forwarded-For`: none (false), the nearest n
   * hops, or these addresses / CIDR ranges (fastify's `trustProxy`). Never "everyone".
   */
  trustProxy: TrustProxy;
  /** Open sockets one remote address may hold; 0 = no cap (behind a proxy, where all come from it). */
  maxConnectionsPerIp: number;
  /** Time a client has to send a request's headers (bounds half-open sockets). */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive socket stays open (behind a load balancer: above its idle timeout). */
  keepAliveTimeoutMs: number;
  /** How long a booking's slots stay held unless every operator confirms. */
  bookingHoldMinutes: number;
  /** How often an instance sweeps lapsed holds (0 = never; the delayed expiry jobs still run). */
  bookingSweepMs: number;
  /** How often an instance delivers due webhook notifications (0 = never). */
  webhookPollMs: number;
  /** How long a claimed notification is this instance's (a crashed instance's come back after it). */
  webhookLeaseMs: number;
  /** Attempts before a notification is dead-lettered. */
  webhookMaxAttempts: number;
  /** First retry delay; doubles per attempt up to an hour. */
  webhookRetryBaseMs: number;
}

export class ConfigError extends Error {}

export type TrustProxy = false | number | string[];

/** proxy-addr's names for address ranges (fastify passes them through). */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `TRUST_PROXY`: `false` (default), a hop count, or a comma-separated list of proxy addresses and
 * CIDR ranges. `true` (trust every peer) is refused: any client could then choose its own address
 * and with it its rate-limit and lockout bucket.
 */
export function parseTrustProxy(raw: string): TrustProxy {
  const v = raw.trim();
  if (v === 'false' || v === 'no' || v === '0') return false;
  if (v === 'true' || v === 'yes' || v === '*')
    throw new ConfigError(
      `TRUST_PROXY: "${v}" would believe X-Forwarded-For from any client; give the proxies instead: ` +
        'a hop count (TRUST_PROXY=1: the nearest proxy, when every request comes through it), or a ' +
        'comma-separated list of proxy addresses or CIDR ranges (TRUST_PROXY=10.0.0.0/8,192.0.2.7), ' +
        'or false (the default: the socket address)',
    );
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n > 100) throw new ConfigError(`TRUST_PROXY: a hop count of ${n} is not plausible (got "${v}")`);
    return n;
  }
  const items = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const it of items) {
    if (PROXY_RANGE_NAMES.has(it) || isIP(it)) continue;
    const m = /^([^/]+)\/(\d{1,3})$/.exec(it);
    const family = m ? isIP(m[1] ?? '') : 0;
    if (m && family && Number(m[2]) <= (family === 4 ? 32 : 128)) continue;
    throw new ConfigError(
      `TRUST_PROXY: "${it.slice(0, 60)}" is not an IP address or CIDR range; valid: false, a hop count, or ` +
        'addresses and ranges separated by commas (10.0.0.0/8,192.0.2.7,loopback)',
    );
  }
  if (items.length === 0) return false;
  return items;
}

export function configFromEnv(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<ServiceConfig> = {},
): ServiceConfig {
  const present = Object.fromEntries(
    Object.keys(EnvSchema.shape)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  const r = EnvSchema.safeParse(present);
  if (!r.success) {
    throw new ConfigError(
      r.error.issues
        .map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(present[String(i.path[0])])})`)
        .join('; '),
    );
  }
  const e = r.data;
  const corsOrigins = e.CORS_ORIGINS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const o of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(o))
      throw new ConfigError(
        `CORS_ORIGINS: "${o}" is not an origin like https://example.org (scheme and host, no path)`,
      );
  }
  if (e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS)
    throw new ConfigError(
      `HEADERS_TIMEOUT_MS (${e.HEADERS_TIMEOUT_MS}) must not exceed REQUEST_TIMEOUT_MS (${e.REQUEST_TIMEOUT_MS})`,
    );
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.CORRIDOR_DATA,
    anonymousRead: e.CORRIDOR_ANONYMOUS_READ,
    metricsPublic: e.CORRIDOR_METRICS_PUBLIC,
    metricsToken: e.METRICS_TOKEN,
    corsOrigins,
    rateLimitAnonymousPerMin: e.RATE_LIMIT_ANONYMOUS_PER_MIN,
    rateLimitKeyPerMin: e.RATE_LIMIT_KEY_PER_MIN,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    jobWorkers: e.JOB_WORKERS,
    requestWorkers: e.REQUEST_WORKERS ?? availableParallelism(),
    requestQueue: e.REQUEST_QUEUE,
    jobPollMs: e.JOB_POLL_MS,
    jobExpireS: e.JOB_EXPIRE_S,
    jobShutdownMs: e.JOB_SHUTDOWN_MS,
    publicationPollMs: e.PUBLICATION_POLL_MS,
    routeCacheEntries: e.ROUTE_CACHE_ENTRIES,
    routeCacheMb: e.ROUTE_CACHE_MB,
    logLevel: e.LOG_LEVEL,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP,
    headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
    bookingHoldMinutes: e.BOOKING_HOLD_MINUTES,
    bookingSweepMs: e.BOOKING_SWEEP_MS,
    webhookPollMs: e.WEBHOOK_POLL_MS,
    webhookLeaseMs: e.WEBHOOK_LEASE_MS,
    webhookMaxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
    webhookRetryBaseMs: e.WEBHOOK_RETRY_BASE_MS,
    ...overrides,
  };
}
