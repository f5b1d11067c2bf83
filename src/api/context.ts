/**
 * What every request handler shares: the validated dataset (loaded once at start), compiled
 * networks per scenario, the store, keys, the response cache and the job runner.
 */
import type { LoadResult } from '../data/load.js';
import type { Dataset, Scenario } from '../model/types.js';
import type { PricedDataset } from '../model/pricing-types.js';
import { compileNetwork, type CompiledNetwork } from '../network/compile.js';
import { compileTimetable, type CompiledTimetable } from '../schedule/timetable.js';
import { applyScenario } from '../scenario/apply.js';
import type { Store, StoredScenario } from '../store/store.js';
import type { ServiceConfig } from './config.js';
import type { KeyService } from './keys.js';
import { BufferLru, Lru } from './lru.js';
import { HttpProblem } from './problem.js';
import type { JobRunner } from './jobs/runner.js';
import type { PublishedWorld } from './publications.js';

export interface ResolvedScenario {
  name: string;
  source: 'dataset' | 'custom';
  scenario: Scenario;
  /** For stored scenarios: the version, part of every cache key. */
  version: number;
  stored?: StoredScenario;
}

/**
 * The dataset a scenario sees: a stored (custom) scenario joins the dataset's scenario list, so
 * the compiler applies it exactly as it applies a scenario file.
 */
export function datasetFor<D extends Dataset>(dataset: D, s: ResolvedScenario | undefined): D {
  return s?.source === 'custom' ? { ...dataset, scenarios: [...dataset.scenarios, s.scenario] } : dataset;
}

/** Cache key of a scenario: its name, and for a stored one its version (a new version recompiles). */
export const scenarioKey = (s: ResolvedScenario | undefined) =>
  s === undefined ? '' : s.source === 'custom' ? `${s.name}@${s.version}` : s.name;

/**
 * The world of a scenario (its overlay applied, as `--scenario` gives the CLI) and its compiled
 * network, cached per scenario version.
 */
export class NetworkCache {
  private readonly cache = new Lru<string, { world: PricedDataset; net: CompiledNetwork }>(16);
  constructor(private readonly dataset: PricedDataset) {}
  private entry(scenario: ResolvedScenario | undefined): { world: PricedDataset; net: CompiledNetwork } {
    const key = scenarioKey(scenario);
    let e = this.cache.get(key);
    if (!e) {
      const world = scenario
        ? (applyScenario(datasetFor(this.dataset, scenario), scenario.name).dataset as PricedDataset)
        : this.dataset;
      e = { world, net: compileNetwork(world, scenario ? { scenario: scenario.name } : {}) };
      this.cache.set(key, e);
    }
    return e;
  }
  get(scenario: ResolvedScenario | undefined): CompiledNetwork {
    return this.entry(scenario).net;
  }
  /** The dataset as the scenario sees it (pricing files travel along). */
  world(scenario: ResolvedScenario | undefined): PricedDataset {
    return this.entry(scenario).world;
  }
}

/** Compiled timetables per scenario, on top of the compiled networks. */
export class TimetableCache {
  private readonly tts = new Lru<string, CompiledTimetable>(16);
  constructor(
    private readonly dataset: Dataset,
    private readonly networks: NetworkCache,
  ) {}
  get(scenario: ResolvedScenario | undefined): CompiledTimetable {
    const key = scenarioKey(scenario);
    let t = this.tts.get(key);
    if (!t) {
      t = compileTimetable(this.networks.get(scenario), this.networks.world(scenario));
      this.tts.set(key, t);
    }
    return t;
  }
}

export interface ServiceContext {
  config: ServiceConfig;
  load: LoadResult;
  /**
   * The effective dataset: the files plus the operator publications (replaced, with `networks`,
   * `timetables` and the route caches, when the publications change; see publications.ts).
   * With `pricing` when the dataset has tariff files: routes and plans then carry quotes.
   */
  dataset: PricedDataset;
  /** The operator publications applied to `dataset`, and their revision. */
  published: PublishedWorld;
  store: Store;
  keys: KeyService;
  networks: NetworkCache;
  timetables: TimetableCache;
  /** Serialized, UTF-8 encoded route responses by canonical query. */
  routeCache: BufferLru<string>;
  /** The same bodies by exact request URL, for requests that need no scenario lookup. */
  routeUrlCache: BufferLru<string>;
  jobs: JobRunner | undefined;
  startedAt: Date;
  /** Set while shutting down: /ready answers 503. */
  closing: boolean;
}

/** A dataset scenario or a stored one, by name; 404 problem otherwise. */
export async function resolveScenario(
  ctx: ServiceContext,
  name: string,
  field = 'query.scenario',
): Promise<ResolvedScenario> {
  const ds = ctx.dataset.scenarios.find((s) => s.name === name);
  if (ds) return { name, source: 'dataset', scenario: ds, version: 0 };
  const stored = await ctx.store.findScenario(name);
  if (stored)
    return { name, source: 'custom', scenario: stored.body as unknown as Scenario, version: stored.version, stored };
  const known = [...ctx.dataset.scenarios.map((s) => s.name), ...(await ctx.store.listScenarios()).map((s) => s.name)];
  throw new HttpProblem(
    'unknown-scenario',
    `${field}: unknown scenario "${name}"; known: ${known.join(', ') || '(none)'}`,
    {
      errors: [{ field, message: 'unknown scenario', value: name }],
      candidates: known,
    },
  );
}
