/**
 * Prometheus metrics (/metrics): request counts and latencies by route template, method and
 * status; route-cache hits; jobs by outcome; plus Node's process metrics (RSS, heap, event-loop lag).
 */
import client from 'prom-client';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry, prefix: 'corridor_' });

export const httpDuration = new client.Histogram({
  name: 'corridor_http_request_duration_seconds',
  help: 'HTTP request duration by route template, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  registers: [registry],
});

export const routeCacheCounter = new client.Counter({
  name: 'corridor_route_cache_total',
  help: 'Route responses served from the cache (hit) or computed (miss)',
  labelNames: ['result'] as const,
  registers: [registry],
});

export const jobCounter = new client.Counter({
  name: 'corridor_jobs_total',
  help: 'Jobs finished by this instance, by kind and outcome',
  labelNames: ['kind', 'outcome'] as const,
  registers: [registry],
});

export const requestPoolCounter = new client.Counter({
  name: 'corridor_request_pool_total',
  help:
    'Uncached answers sent to the request workers, by outcome: answered, refused (queue full: 503), ' +
    'failed (user or internal error), crashed (the thread died), withdrawn (every client asking had gone ' +
    'before a thread was free)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
