/**
 * What every request handler shares: the application service (whose World — dataset, compiled
 * networks and timetables of one publication revision — is swapped whole when publications
 * change), the store, keys, the response caches and the jobs (the job engine's API side).
 */
import type { LoadResult } from '../data/load.js';
import type { PricedDataset } from '../model/pricing-types.js';
import type { Scenario } from '../model/types.js';
import type { BookingService } from '../service/bookings.js';
import { EventSubscriptionService } from '../service/event-subscriptions.js';
import { BufferLru } from '../service/lru.js';
import type { CorridorService, ScenarioCatalog } from '../service/service.js';
import { type IngestResult, NO_SHIPMENTS, TrackingService } from '../service/tracking.js';
import type { Store, StoredScenario } from '../store/store.js';
import type { ServiceConfig } from './config.js';
import type { JobsView as Jobs } from './jobs/jobs-view.js';
import type { ConnectionCap } from './guards/connections.js';
import type { KeyService } from './keys.js';
import { HttpProblem } from './problem.js';
import { currentReader, maySee } from './guards/ownership.js';
import type { PublishedWorld } from './publications.js';

export interface ResolvedScenario {
  name: string;
  source: 'dataset' | 'custom';
  scenario: Scenario;
  /** For stored scenarios: the version, part of every cache key. */
  version: number;
  stored?: StoredScenario;
}

export class ServiceContext {
  /** Serialized, UTF-8 encoded responses by the service's canonical request key (which names the World's revision). */
  readonly routeCache: BufferLru<string>;
  /** The same bodies by exact request URL, for requests that need no scenario lookup (cleared on a new World). */
  readonly routeUrlCache: BufferLru<string>;
  jobs: Jobs | undefined;
  /** Open sockets per remote address (guards/connections.ts); set where the HTTP server is built. */
  connections: ConnectionCap | undefined;
  readonly startedAt = new Date();
  /** Set while shutting down: /ready answers 503. */
  closing = false;
  /** Track & trace; its shipment directory is the bookings (set where bookings are wired in). */
  readonly tracking: TrackingService;
  /** DCSA event subscriptions and their fan-out into the outbox. */
  readonly eventSubscriptions: EventSubscriptionService;
  /** Called after every ingestion (subscriptions, event streams). */
  readonly trackingListeners: ((r: IngestResult) => void)[] = [];

  constructor(
    readonly config: ServiceConfig,
    /** The data files as loaded at start (with their warnings). */
    readonly load: LoadResult,
    readonly store: Store,
    readonly keys: KeyService,
    readonly service: CorridorService,
    /** The operator publications and their revision; installs a new World in `service` when they change. */
    readonly published: PublishedWorld,
    /** Bookings: departures with capacity, holds, operators' answers (src/service/bookings.ts). */
    readonly bookings: BookingService,
    jobs?: Jobs,
  ) {
    this.routeCache = new BufferLru<string>(config.routeCacheEntries, config.routeCacheMb * 1024 * 1024);
    this.routeUrlCache = new BufferLru<string>(config.routeCacheEntries, config.routeCacheMb * 1024 * 1024);
    this.jobs = jobs;
    this.tracking = new TrackingService(service, store.tracking, NO_SHIPMENTS);
    this.eventSubscriptions = new EventSubscriptionService(
      store.eventSubscriptions,
      store.tracking,
      this.tracking,
      async (keyId) => {
        const k = await store.findKey(keyId);
        return k && !k.revokedAt ? { keyId: k.id, role: k.role, operator: k.operator } : undefined;
      },
    );
  }

  /**
   * The effective dataset (files + publications) of the current World. A handler that needs the
   * dataset and the networks together reads `service.world` once instead.
   */
  get dataset(): PricedDataset {
    return this.service.world.dataset;
  }
}

/** Stored scenarios as the service sees them: only those the request's reader may see (guards/ownership.ts). */
export function storeCatalog(store: Store): ScenarioCatalog {
  return {
    async find(name) {
      const s = await store.findScenario(name);
      return s && maySee(currentReader(), s)
        ? { scenario: s.body as unknown as Scenario, version: s.version }
        : undefined;
    },
    names: () => visibleNames(store),
  };
}

/** Names of the stored scenarios the request's reader may see (for "known: …" lists; at most 200). */
async function visibleNames(store: Store): Promise<string[]> {
  return (await store.listScenarioPage(undefined, 200, currentReader())).map((s) => s.name);
}

/** A dataset scenario or a stored one, by name; 404 problem otherwise. */
export async function resolveScenario(
  ctx: ServiceContext,
  name: string,
  field = 'query.scenario',
): Promise<ResolvedScenario> {
  const ds = ctx.dataset.scenarios.find((s) => s.name === name);
  if (ds) return { name, source: 'dataset', scenario: ds, version: 0 };
  const found = await ctx.store.findScenario(name);
  const stored = found && maySee(currentReader(), found) ? found : undefined;
  if (stored)
    return {
      name,
      source: 'custom',
      scenario: stored.body as unknown as Scenario,
      version: stored.version,
      stored,
    };
  const known = [...ctx.dataset.scenarios.map((s) => s.name), ...(await visibleNames(ctx.store))];
  throw new HttpProblem(
    'unknown-scenario',
    `${field}: unknown scenario "${name}"; known: ${known.join(', ') || '(none)'}`,
    {
      errors: [{ field, message: 'unknown scenario', value: name }],
      candidates: known,
    },
  );
}
