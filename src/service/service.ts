/**
 * The application service: the one place where a request meets the engines. Every edge — CLI
 * command, HTTP route, job kind, report — parses its raw options with the one parser (through
 * `prepare*`), calls a use case, and formats the answer; none compiles a network, applies a
 * scenario or runs a search itself, so two edges cannot answer the same query differently.
 *
 * A call reads the current World once (`prepare*` binds it into the prepared request) and answers
 * from it to the end, however long it awaits; publications installing a new World meanwhile do
 * not mix revisions.
 */
import { assign, type AssignmentResult } from '../flow/assign.js';
import { buildCorridorGraph } from '../flow/corridor-graph.js';
import { type DemandOd, demandInTeu } from '../flow/demand.js';
import { laneRoutes } from '../flow/lanes.js';
import type { LpSolver } from '../flow/lp.js';
import type { SolveProgress } from '../flow/problem.js';
import { CorridorError, type FieldProblem, InvalidRequestError } from '../model/errors.js';
import type { PricedDataset } from '../model/pricing-types.js';
import type { DemandSet, Scenario } from '../model/types.js';
import { findRoutes, type RouteQuery, type RouteResult } from '../routing/route.js';
import { type PlanQuery, type PlanResult, planItineraries } from '../schedule/plan.js';
import type { AppliedScenario } from '../scenario/apply.js';
import { networkDate, statusesOn } from '../scenario/dated.js';
import { type AssignmentComparison, compareAssignments, compareLanes, type LaneChange } from '../flow/compare.js';
import { type PricedPlanResult, pricedPlan } from '../tariff/priced-plan.js';
import { findPricedRoutes, type PricedRouteResult } from '../tariff/priced-routes.js';
import { type BookingRouting, routingOf } from '../booking/routing.js';
import { getOrCreate } from '../model/memo.js';
import type { Link } from '../model/types.js';
import type { RawOptions } from './fields.js';
import { jsonBytes } from './json-bytes.js';
import { Lru } from './lru.js';
import { parsePlanRequest, parseQuoteRequest, parseRouteRequest, scenarioNames } from './options.js';
import { type PlaceCatalog, type PlaceSearchHit, resolveEndpoint, searchAllPlaces } from './places.js';
import { type DoorToDoor, reachWorld } from './reach.js';
import { decidePricing, type PricingBasis, pricingStatement } from './pricing.js';
import type { AssignRequest, CompareRequest, PlanRequest, QuoteRequest, RouteRequest } from './requests.js';
import {
  BASE_SELECTION,
  type ScenarioRef,
  type ScenarioSelection,
  type ScenarioWorld,
  selectionKey,
  type World,
} from './world.js';

/** The fields of a parsed request that date its network. */
type DatedRequest = { ready?: string | undefined; date?: string | undefined };

/** Stored (custom) scenarios, for the edges that have a store; the CLI has none. */
export interface ScenarioCatalog {
  find(name: string): Promise<{ scenario: Scenario; version: number } | undefined>;
  /** Every stored name, for "valid: …" lists. */
  names(): Promise<string[]>;
}

export const NO_STORED_SCENARIOS: ScenarioCatalog = {
  find: async () => undefined,
  names: async () => [],
};

/** An LP solver the service closes when an assignment is done. */
export type ClosableSolver = LpSolver & { close(): Promise<void> };

export interface ServiceDeps {
  world: World;
  catalog?: ScenarioCatalog;
  /** Today's date (YYYY-MM-DD, UTC): the tariff date of a request with neither ready time nor quote date. */
  today?: () => string;
  /** The LP solver for assignments (HiGHS in a worker thread at the edges); needed by assign and compare. */
  solver?: () => Promise<ClosableSolver>;
  /** The world gazetteer (read on first use by the edge); without it only terminals resolve. */
  places?: () => PlaceCatalog;
  /** Route, quote and plan answers kept per World (by request key and today's date); 0 turns it off. */
  answerCacheEntries?: number;
  /**
   * Where `routeAsync`, `quoteAsync` and `planAsync` compute an answer the cache does not hold (the
   * API's worker threads); without it they compute in this thread.
   */
  offload?: AnswerOffload;
}

/**
 * One route, quote or plan to compute elsewhere: what a worker thread needs to build the same
 * World (revision and publications), find the same stored scenarios, parse the same raw options
 * and price for the same day — and the key the answer must have, which the worker checks.
 */
export interface AnswerTask {
  kind: 'route' | 'quote' | 'plan';
  raw: RawOptions;
  explain?: boolean;
  /** Answer with an `EncodedAnswer` (the `*Encoded` use cases) rather than the answer object. */
  encoded?: boolean;
  key: string;
  today: string;
  world: { revision: number; publications: World['publications'] };
  /** The stored scenarios of the selection, with their versions (the files' come with the World). */
  stored: { name: string; version: number; scenario: Scenario }[];
}

export interface AnswerOffload {
  /** `signal` aborts when no caller waits for the answer any more (the offload may then drop it). */
  run(task: AnswerTask, signal?: AbortSignal): Promise<unknown>;
}

/**
 * An answer as the UTF-8 JSON an edge sends (the same as `JSON.stringify` of the answer object),
 * with each plan itinerary's booking routing, which the edge stores before the answer goes out.
 * Encoded where it is computed, a worker thread hands over bytes (a transfer, no copy) instead of an
 * object graph the request thread would clone and then serialize itself (decision 0031).
 */
export interface EncodedAnswer {
  json: Uint8Array;
  /** One per itinerary of a plan, in order; empty for routes and quotes. */
  routings: BookingRouting[];
}

/** `answer` as its JSON bytes, in memory of its own (transferable), with a plan's routings. */
export const encodeAnswer = (answer: unknown, routings: BookingRouting[] = []): EncodedAnswer => ({
  json: jsonBytes(answer),
  routings,
});

/** A plan answer with each itinerary's routing, built from the same links as its reference. */
export interface PlannedAnswer {
  answer: PlanAnswer;
  routings: BookingRouting[];
}

/** A request parsed against one World: answering it never reads another. */
export interface Prepared<T> {
  world: World;
  /** The world of the request's scenario selection. */
  scenario: ScenarioWorld;
  request: T;
  /** Canonical key of the request in this World (revision, scenario versions, options): equal answers. */
  key: string;
  /** The raw options it was parsed from (what a worker thread parses again). */
  raw?: RawOptions;
}

/** What a priced answer adds to the engine's `pricing`. */
type Stated<P> = P & { basis: PricingBasis; rule: string };

export type PricedRouteAnswer = PricedRouteResult & {
  pricing: Stated<PricedRouteResult['pricing']> & { note?: string };
};
export type RouteAnswer = ((RouteResult & { pricing?: undefined }) | PricedRouteAnswer) & { doorToDoor?: DoorToDoor };
export type PricedPlanAnswer = PricedPlanResult & { pricing: Stated<PricedPlanResult['pricing']> };
export type PlanAnswer = ((PlanResult & { pricing?: undefined }) | PricedPlanAnswer) & { doorToDoor?: DoorToDoor };

export interface AssignAnswer extends AssignmentResult {
  scenario: string | null;
  demandSet: string;
  demandScale: number;
}

export interface CompareAnswer {
  a: { scenario: string | null; source: string };
  b: { scenario: string | null; source: string };
  /** What the scenario files differ in, and the links each switches on that the other does not. */
  definitions: {
    fields: { field: string; a: unknown; b: unknown }[];
    links: { onlyA: string[]; onlyB: string[]; both: string[] };
    changes: AppliedScenario['changes'];
  };
  /** The demand behind lanes and flows, and how it was chosen. */
  demand: { set: string | null; chosen: 'named' | 'scenario-default' | 'none'; note: string };
  lanes: LaneChange[];
  /** Present when a demand set was named or defaulted. */
  flows: AssignmentComparison | null;
}

const utcToday = () => new Date().toISOString().slice(0, 10);

/** One computation shared by the callers asking for it; aborted when every caller has gone. */
interface PendingAnswer {
  run: Promise<unknown>;
  callers: number;
  gone: AbortController;
}

const linkMaps = new WeakMap<PricedDataset, Map<string, Link>>();
/** The dataset's links by id (built once per dataset). */
export const linkMap = (ds: PricedDataset): Map<string, Link> =>
  getOrCreate(linkMaps, ds, () => new Map(ds.links.map((l) => [l.id, l])));

export class CorridorService {
  private current: World;
  private readonly catalog: ScenarioCatalog;
  readonly today: () => string;
  private readonly solver: (() => Promise<ClosableSolver>) | undefined;
  /** The world gazetteer, when the edge provides one. */
  readonly places: () => PlaceCatalog | undefined;
  /** Answers by World: a new World (publication revision) starts empty, so no stale answer is served. */
  private readonly answers = new WeakMap<World, Lru<string, unknown>>();
  private readonly answerCacheEntries: number;
  private readonly offload: AnswerOffload | undefined;
  /** Answers being computed elsewhere, by cache key: concurrent equal requests share one computation. */
  private readonly pending = new Map<string, PendingAnswer>();
  /** Answers computed (not served from the cache) so far; tests and metrics read it. */
  computed = 0;

  constructor(deps: ServiceDeps) {
    this.current = deps.world;
    this.answerCacheEntries = deps.answerCacheEntries ?? 256;
    this.places = deps.places ?? (() => undefined);
    this.catalog = deps.catalog ?? NO_STORED_SCENARIOS;
    this.today = deps.today ?? utcToday;
    this.solver = deps.solver;
    this.offload = deps.offload;
  }

  /**
   * A view of this service that also knows `extra` scenarios (generated ones: a sweep's draws),
   * as if stored, with the same World, clock and solver.
   */
  withScenarios(extra: readonly Scenario[]): CorridorService {
    const base = this.catalog;
    const view = new CorridorService({
      world: this.current,
      today: this.today,
      ...(this.solver ? { solver: this.solver } : {}),
      catalog: {
        async find(name) {
          const s = extra.find((x) => x.name === name);
          return s ? { scenario: s, version: 1 } : base.find(name);
        },
        async names() {
          return [...extra.map((x) => x.name), ...(await base.names())];
        },
      },
    });
    return view;
  }

  /** The World new requests are answered in. */
  get world(): World {
    return this.current;
  }

  /** Terminals and world places matching what a user typed (autocomplete, `GET /api/v1/locations?q=`). */
  searchPlaces(query: string, opts: { limit: number; country?: string; withGazetteer?: boolean }): PlaceSearchHit[] {
    return searchAllPlaces(this.current.dataset, this.places(), query, { withGazetteer: true, ...opts });
  }

  /** Swaps the World in one step (new publications); requests already prepared keep theirs. */
  install(world: World): void {
    this.current = world;
  }

  /**
   * The scenario selection a raw `scenario` value names (dataset files first, then the store),
   * and the problems of the names that are neither.
   */
  async selection(
    world: World,
    names: readonly string[] | undefined,
    field = 'scenario',
  ): Promise<{ selection: ScenarioSelection; problems: FieldProblem[] }> {
    if (names === undefined) return { selection: BASE_SELECTION, problems: [] };
    const refs: ScenarioRef[] = [];
    const problems: FieldProblem[] = [];
    if (names.length === 0) problems.push({ field, message: 'names no scenario', code: 'invalid-argument', value: '' });
    for (const name of names) {
      const file = world.dataset.scenarios.find((s) => s.name === name);
      if (file) {
        refs.push({ name, source: 'dataset', version: 0, scenario: file });
        continue;
      }
      const stored = await this.catalog.find(name);
      if (stored) {
        refs.push({ name, source: 'custom', version: stored.version, scenario: stored.scenario });
        continue;
      }
      const known = [...world.dataset.scenarios.map((s) => s.name), ...(await this.catalog.names())].sort();
      problems.push({
        field,
        message: `unknown scenario "${name}"; valid: ${known.join(', ') || '(none)'}`,
        code: 'unknown-scenario',
        value: name,
        candidates: known,
      });
    }
    return { selection: problems.length ? BASE_SELECTION : { refs }, problems };
  }

  /** The world of scenarios named by the caller (dataset or stored); unknown names are an error naming `field`. */
  async scenarioWorld(names: readonly string[], field = 'scenario'): Promise<ScenarioWorld> {
    const world = this.current;
    const { selection, problems } = await this.selection(world, names, field);
    if (problems.length) throw new InvalidRequestError(problems);
    return compileOrFail(world, selection, field);
  }

  /** The dataset's scenarios, each with what it changes (its overlay applied). */
  describeScenarios(): { scenario: Scenario; applied: AppliedScenario }[] {
    const world = this.current;
    return world.dataset.scenarios.map((scenario) => ({
      scenario,
      applied: compileOrFail(
        world,
        { refs: [{ name: scenario.name, source: 'dataset', version: 0, scenario }] },
        'scenario',
      ).applied,
    }));
  }

  /** Parses raw options in the current World. `prefix` names fields inside a batch (`queries[2].`). */
  private async prepare<T>(
    raw: RawOptions,
    parse: (raw: RawOptions, ctx: Parameters<typeof parseRouteRequest>[1]) => T,
    kind: string,
    prefix = '',
  ): Promise<Prepared<T>> {
    const world = this.current;
    const { selection: named, problems } = await this.selection(world, scenarioNames(raw), `${prefix}scenario`);
    const scenario = compileOrFail(world, named, `${prefix}scenario`);
    const endpoint = (text: string, role: 'origin' | 'destination') =>
      resolveEndpoint(scenario.dataset, this.places, text, role);
    const request = parse(raw, { dataset: scenario.dataset, scenario: named, problems, prefix, endpoint });
    // The network of the request's date: its dated statuses apply first, the caller's scenarios on top.
    const dated = statusesOn(world.dataset.scenarios, networkDate(request as DatedRequest, this.today())).filter(
      (s) => !named.refs.some((r) => r.name === s.name),
    );
    if (dated.length === 0) return { world, scenario, request, key: requestKey(world, kind, named, request), raw };
    const selection: ScenarioSelection = {
      refs: [
        ...dated.map((s): ScenarioRef => ({ name: s.name, source: 'dataset', version: 0, scenario: s, dated: true })),
        ...named.refs,
      ],
    };
    const inEffect = compileOrFail(world, selection, `${prefix}scenario`);
    return { world, scenario: inEffect, request, key: requestKey(world, kind, selection, request), raw };
  }

  prepareRoute(raw: RawOptions, prefix = ''): Promise<Prepared<RouteRequest>> {
    return this.prepare(raw, parseRouteRequest, 'route', prefix);
  }
  prepareQuote(raw: RawOptions, prefix = ''): Promise<Prepared<QuoteRequest>> {
    return this.prepare(raw, parseQuoteRequest, 'quote', prefix);
  }
  preparePlan(raw: RawOptions, prefix = ''): Promise<Prepared<PlanRequest>> {
    return this.prepare(raw, parsePlanRequest, 'plan', prefix);
  }

  /**
   * The answer to `p` from the World's answer cache, else computed and kept. The key is the
   * request's canonical key (World revision, scenario versions, normalized options) and today's
   * date, which prices requests without a ready or quote date. Answers are shared: callers
   * serialize them and must not change them.
   */
  /** The answer cache of the request's World (none when caching is off) and the request's key in it. */
  private cacheSlot(
    p: Prepared<unknown>,
    variant: string,
    today = this.today(),
  ): { lru: Lru<string, unknown> | undefined; key: string } {
    const key = `${today}|${variant}|${p.key}`;
    if (this.answerCacheEntries <= 0) return { lru: undefined, key };
    return { lru: getOrCreate(this.answers, p.world, () => new Lru<string, unknown>(this.answerCacheEntries)), key };
  }

  private cached<T>(p: Prepared<unknown>, variant: string, compute: () => T): T {
    const { lru, key } = this.cacheSlot(p, variant);
    const hit = lru?.get(key);
    if (hit !== undefined) return hit as T;
    this.computed++;
    const answer = compute();
    lru?.set(key, answer);
    return answer;
  }

  /**
   * `cached`, computed by the offload when there is one: the cache stays here, in front of it, and
   * concurrent equal misses wait for the one computation instead of queueing copies of it.
   */
  private async cachedAsync<T>(
    p: Prepared<unknown>,
    variant: string,
    task: Pick<AnswerTask, 'kind' | 'explain'>,
    compute: () => T,
  ): Promise<T> {
    const offload = this.offload;
    const raw = p.raw;
    if (!offload || !raw) return this.cached(p, variant, compute);
    const today = this.today();
    const { lru, key } = this.cacheSlot(p, variant, today);
    const hit = lru?.get(key);
    if (hit !== undefined) return hit as T;
    // Pending answers are shared only within a World: the key names its revision.
    const answer = (await this.shared(key, (gone) =>
      offload.run({ ...task, ...this.taskOf(p, raw, today) }, gone),
    )) as T;
    lru?.set(key, answer);
    return answer;
  }

  /**
   * The computation under `key`, started by the first caller and joined by the others until it
   * settles. A caller with a `signal` leaves when it aborts; when every caller has left, the
   * computation's own signal aborts (and a new caller starts afresh). A caller without one stays.
   */
  private shared(key: string, start: (gone: AbortSignal) => Promise<unknown>, signal?: AbortSignal): Promise<unknown> {
    let entry = this.pending.get(key);
    if (!entry) {
      this.computed++;
      const gone = new AbortController();
      const created: PendingAnswer = { run: Promise.resolve(), callers: 0, gone };
      created.run = start(gone.signal).finally(() => {
        if (this.pending.get(key) === created) this.pending.delete(key);
      });
      this.pending.set(key, created);
      entry = created;
    }
    const joined = entry;
    joined.callers++;
    if (signal) {
      const leave = () => {
        if (--joined.callers > 0) return;
        if (this.pending.get(key) === joined) this.pending.delete(key);
        joined.gone.abort();
      };
      if (signal.aborted) leave();
      else signal.addEventListener('abort', leave, { once: true });
    }
    return joined.run;
  }

  /** What a worker needs to answer `p` as this thread would. */
  private taskOf(p: Prepared<unknown>, raw: RawOptions, today: string): Omit<AnswerTask, 'kind' | 'explain'> {
    const stored = p.scenario.selection.refs
      .filter((r) => r.source === 'custom')
      .map((r) => ({ name: r.name, version: r.version, scenario: r.scenario }));
    return {
      raw,
      key: p.key,
      today,
      world: { revision: p.world.revision, publications: p.world.publications },
      stored,
    };
  }

  /** `route`, computed by the offload (a worker thread) when the service has one. */
  routeAsync(p: Prepared<RouteRequest>, opts: { explain?: boolean } = {}): Promise<RouteAnswer> {
    return this.cachedAsync(p, `route:${opts.explain ?? ''}`, { kind: 'route', ...opts }, () => this.routeNow(p, opts));
  }

  /** `quote`, computed by the offload when the service has one. */
  quoteAsync(p: Prepared<QuoteRequest>): Promise<PricedRouteAnswer> {
    return this.cachedAsync(p, 'quote', { kind: 'quote' }, () => this.quoteNow(p));
  }

  /** `plan`, computed by the offload when the service has one. */
  planAsync(p: Prepared<PlanRequest>): Promise<PlanAnswer> {
    // In this thread the answer is `plan`'s, cached once (with its routings).
    if (!this.offload || !p.raw) return Promise.resolve(this.plan(p));
    return this.cachedAsync(p, 'plan', { kind: 'plan' }, () => this.plan(p));
  }

  /**
   * The answer of `routeAsync`, `quoteAsync` or `planAsync` as its JSON bytes (with a plan's
   * routings), for edges that send it as it is. Not kept in this service's cache (the edge keeps the
   * bytes); concurrent equal requests still share one computation.
   */
  private async encodedAsync(
    p: Prepared<unknown>,
    variant: string,
    task: Pick<AnswerTask, 'kind' | 'explain'>,
    compute: () => EncodedAnswer,
    signal: AbortSignal | undefined,
  ): Promise<EncodedAnswer> {
    const offload = this.offload;
    const raw = p.raw;
    if (!offload || !raw) return compute();
    const today = this.today();
    const key = `${today}|${variant}|encoded|${p.key}`;
    return (await this.shared(
      key,
      (gone) => offload.run({ ...task, encoded: true, ...this.taskOf(p, raw, today) }, gone),
      signal,
    )) as EncodedAnswer;
  }

  /** `signal` (all three): the caller has gone; an offloaded computation nobody else waits for may be dropped. */
  routeEncoded(
    p: Prepared<RouteRequest>,
    opts: { explain?: boolean; signal?: AbortSignal } = {},
  ): Promise<EncodedAnswer> {
    const { signal, ...o } = opts;
    return this.encodedAsync(
      p,
      `route:${o.explain ?? ''}`,
      { kind: 'route', ...o },
      () => encodeAnswer(this.route(p, o)),
      signal,
    );
  }

  quoteEncoded(p: Prepared<QuoteRequest>, signal?: AbortSignal): Promise<EncodedAnswer> {
    return this.encodedAsync(p, 'quote', { kind: 'quote' }, () => encodeAnswer(this.quote(p)), signal);
  }

  planEncoded(p: Prepared<PlanRequest>, signal?: AbortSignal): Promise<EncodedAnswer> {
    return this.encodedAsync(
      p,
      'plan',
      { kind: 'plan' },
      () => {
        const { answer, routings } = this.planned(p);
        return encodeAnswer(answer, routings);
      },
      signal,
    );
  }

  /** Pareto-optimal options over time, cost and CO2e, priced as the tariff-date rule says. */
  route(p: Prepared<RouteRequest>, opts: { explain?: boolean } = {}): RouteAnswer {
    return this.cached(p, `route:${opts.explain ?? ''}`, () => this.routeNow(p, opts));
  }

  private routeNow(p: Prepared<RouteRequest>, opts: { explain?: boolean } = {}): RouteAnswer {
    const { request: req } = p;
    const { world: sw, doorToDoor } = reachWorld(p.scenario, this.places, req);
    const answer = this.routeIn(sw, req, opts);
    return doorToDoor ? { ...answer, doorToDoor } : answer;
  }

  private routeIn(sw: ScenarioWorld, req: RouteRequest, opts: { explain?: boolean }): RouteAnswer {
    const query: RouteQuery = {
      from: req.from,
      to: req.to,
      ...req.constraints,
      ...(opts.explain === false ? { explain: false } : {}),
    };
    const decision = decidePricing(sw.dataset, req, this.today());
    if (!decision) return findRoutes(sw.network, query) as RouteAnswer;
    const r = findPricedRoutes(sw.dataset, sw.network, query, decision.request);
    return {
      ...r,
      pricing: { ...r.pricing, ...pricingStatement(decision), ...(decision.note ? { note: decision.note } : {}) },
    };
  }

  /** A route answer for a real shipment, optionally cut to one option. */
  quote(p: Prepared<QuoteRequest>): PricedRouteAnswer {
    return this.cached(p, 'quote', () => this.quoteNow(p));
  }

  private quoteNow(p: Prepared<QuoteRequest>): PricedRouteAnswer {
    if (!p.scenario.dataset.pricing)
      throw new CorridorError(
        'invalid-dataset',
        'this dataset has no pricing files (tariffs/, fx.yaml, container-types.yaml, emission-factors.yaml)',
      );
    const r = this.routeNow(p) as PricedRouteAnswer;
    const only = p.request.option;
    if (only === undefined) return r;
    if (!r.options.some((o) => o.option === only))
      throw new CorridorError(
        'invalid-argument',
        `there is no option ${only}; this query has ${r.options.length} option(s)`,
        {},
        'option',
      );
    return { ...r, options: r.options.filter((o) => o.option === only) };
  }

  /**
   * Timed itineraries from the ready time, with departures and the P10/P50/P90 arrival; each
   * names its routing reference, which a booking gives to reserve exactly its departures.
   */
  plan(p: Prepared<PlanRequest>): PlanAnswer {
    return this.planned(p).answer;
  }

  /** `plan` with each itinerary's booking routing (what a booking of its reference reserves). */
  planned(p: Prepared<PlanRequest>): PlannedAnswer {
    // Not 'plan': under that key planAsync keeps the answers an offload computed, without routings.
    return this.cached(p, 'planned', () => this.plannedNow(p));
  }

  private plannedNow(p: Prepared<PlanRequest>): PlannedAnswer {
    const { request: req } = p;
    const { world: sw, doorToDoor } = reachWorld(p.scenario, this.places, req);
    const a = this.planIn(sw, req);
    // The links of the world the plan was made in: a door-to-door plan's road legs are in no other.
    const links = linkMap(sw.dataset);
    const routings = a.itineraries.map((it) => routingOf(it, links));
    a.itineraries.forEach((it, i) => {
      it.routingReference = routings[i]?.reference;
    });
    return { answer: doorToDoor ? { ...a, doorToDoor } : a, routings };
  }

  private planIn(sw: ScenarioWorld, req: PlanRequest): PlanAnswer {
    const q: PlanQuery = { from: req.from, to: req.to, ready: req.ready, ...req.constraints };
    if (req.samples !== undefined) q.samples = req.samples;
    if (req.seed !== undefined) q.seed = req.seed;
    if (req.horizonDays !== undefined) q.maxDurationH = req.horizonDays * 24;
    const decision = decidePricing(sw.dataset, req, this.today());
    if (!decision) return planItineraries(sw.timetable, q) as PlanAnswer;
    const r = pricedPlan(sw.dataset, sw.network, q, decision.request);
    return {
      ...r,
      notes: decision.note ? [...r.notes, decision.note] : r.notes,
      pricing: { ...r.pricing, ...pricingStatement(decision) },
    };
  }

  /** Assignment requests: scenario, demand set (by name, or one the edge read from a file), options. */
  async prepareAssign(
    raw: { scenario?: string; demand?: string | DemandSet; co2Price?: string | number; algorithm?: string },
    prefix = '',
  ): Promise<Prepared<AssignRequest>> {
    const world = this.current;
    const names =
      raw.scenario === undefined
        ? undefined
        : raw.scenario
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
    const { selection, problems } = await this.selection(world, names, `${prefix}scenario`);
    const scenario = compileOrFail(world, selection, `${prefix}scenario`);
    const request: AssignRequest = {
      scenario: selection,
      algorithm: 'auto',
      ...demandAndPrice(scenario, raw, prefix, problems, true),
    };
    if (raw.algorithm !== undefined) {
      if (raw.algorithm === 'auto' || raw.algorithm === 'column-generation' || raw.algorithm === 'network-simplex')
        request.algorithm = raw.algorithm;
      else
        problems.push({
          field: `${prefix}algorithm`,
          message: `"${raw.algorithm}" is not a solver; valid: auto, column-generation, network-simplex`,
          code: 'invalid-argument',
          value: raw.algorithm,
        });
    }
    if (problems.length) throw new InvalidRequestError(problems);
    return { world, scenario, request, key: requestKey(world, 'assign', selection, request) };
  }

  /** Capacity-constrained minimum generalised-cost assignment of the demand set. */
  async assign(p: Prepared<AssignRequest>, onProgress?: (p: SolveProgress) => void): Promise<AssignAnswer> {
    const sw = p.scenario;
    const { set, ods } = demandOf(sw, p.request.demand);
    const result = await this.withSolver((solver) =>
      assign(sw.network, ods, commoditiesOf(sw.dataset), solver, {
        ...(p.request.co2PriceUsdPerTonne !== undefined ? { co2PriceUsdPerTonne: p.request.co2PriceUsdPerTonne } : {}),
        algorithm: p.request.algorithm,
        ...(onProgress ? { onProgress } : {}),
      }),
    );
    return { scenario: sw.label, demandSet: set.name, demandScale: sw.applied.demandScale, ...result };
  }

  /** Two scenario selections (`base`: none), a demand (by name or file; default B's, else A's). */
  async prepareCompare(raw: {
    a: string;
    b: string;
    demand?: string | DemandSet;
    co2Price?: string | number;
  }): Promise<Prepared<CompareRequest>> {
    const world = this.current;
    const side = (v: string) =>
      v.trim() === 'base'
        ? undefined
        : v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
    const a = await this.selection(world, side(raw.a), 'a');
    const b = await this.selection(world, side(raw.b), 'b');
    const problems = [...a.problems, ...b.problems];
    const sb = compileOrFail(world, b.selection, 'b');
    const request: CompareRequest = {
      a: a.selection,
      b: b.selection,
      ...demandAndPrice(sb, raw, '', problems, false),
    };
    if (problems.length) throw new InvalidRequestError(problems);
    return { world, scenario: sb, request, key: requestKey(world, 'compare', b.selection, request) };
  }

  /**
   * What changes from A to B: the definitions, the best route of every lane, and — when a demand
   * set is named or one of the scenarios names one — the assignment in both worlds.
   */
  async compare(p: Prepared<CompareRequest>, onProgress?: (p: SolveProgress) => void): Promise<CompareAnswer> {
    const wa = compileOrFail(p.world, p.request.a, 'a');
    const wb = p.scenario;
    const named = p.request.demand;
    const fallback = wb.applied.demandSet ?? wa.applied.demandSet;
    const chosen = named !== undefined ? 'named' : fallback !== undefined ? 'scenario-default' : 'none';
    const demand = named ?? fallback;
    const co2 = p.request.co2PriceUsdPerTonne ?? 0;
    let lanesOds: DemandOd[];
    let flows: AssignmentComparison | null = null;
    let setName: string | null = null;
    let note: string;
    if (demand !== undefined) {
      const b = demandOf(wb, demand);
      const a = demandOf(wa, demand);
      setName = b.set.name;
      lanesOds = b.ods;
      const [ra, rb] = await this.withSolver(async (solver) => {
        const opts = { co2PriceUsdPerTonne: co2, ...(onProgress ? { onProgress } : {}) };
        const x = await assign(wa.network, a.ods, commoditiesOf(wa.dataset), solver, opts);
        const y = await assign(wb.network, b.ods, commoditiesOf(wb.dataset), solver, opts);
        return [x, y] as const;
      });
      flows = compareAssignments(ra, rb);
      note =
        chosen === 'named'
          ? `lanes and flows of demand set ${setName}`
          : `lanes and flows of demand set ${setName}, the one the scenarios name`;
    } else {
      // No demand: the lanes of every demand set of the dataset, once each, and no flows.
      const seen = new Set<string>();
      lanesOds = [];
      for (const set of wb.dataset.demand ?? []) {
        for (const od of demandOf(wb, set).ods) {
          const k = `${od.from}>${od.to}>${od.commodity}`;
          if (seen.has(k)) continue;
          seen.add(k);
          lanesOds.push({ ...od, teuPerYear: 1 });
        }
      }
      note = 'no demand set named and none in the scenarios: lanes of every demand set, no flow assignment';
    }
    const lanesOf = (w: ScenarioWorld) =>
      w.dataset.commodities
        ? laneRoutes(buildCorridorGraph(w.network), lanesOds, w.dataset.commodities, co2)
        : lanesOds.map(() => null);
    return {
      a: { scenario: wa.label, source: sourceOf(p.request.a) },
      b: { scenario: wb.label, source: sourceOf(p.request.b) },
      definitions: definitionsDiff(p.world.dataset, p.request.a, p.request.b, wb.applied.changes),
      demand: { set: setName, chosen, note },
      lanes: compareLanes(lanesOds, lanesOf(wa), lanesOf(wb)),
      flows,
    };
  }

  private async withSolver<T>(run: (solver: LpSolver) => Promise<T>): Promise<T> {
    if (!this.solver) throw new Error('this service has no LP solver (ServiceDeps.solver)');
    const solver = await this.solver();
    try {
      return await run(solver);
    } finally {
      await solver.close();
    }
  }
}

/** The scenario's world; a scenario that cannot be applied (a broken stored one) is a field problem. */
function compileOrFail(world: World, selection: ScenarioSelection, field: string): ScenarioWorld {
  try {
    return world.scenario(selection);
  } catch (e) {
    if (e instanceof CorridorError && !(e instanceof InvalidRequestError))
      throw new InvalidRequestError([{ field, message: e.message, code: e.code }]);
    throw e;
  }
}

function requestKey(world: World, kind: string, selection: ScenarioSelection, request: unknown): string {
  // The selection is in the key through its names and versions; its refs carry whole scenario bodies.
  const { scenario: _s, ...rest } = request as { scenario?: unknown };
  return JSON.stringify([kind, world.revision, selectionKey(selection), rest]);
}

function sourceOf(s: ScenarioSelection): string {
  if (s.refs.length === 0) return 'base';
  return s.refs.every((r) => r.source === 'dataset') ? 'dataset' : 'custom';
}

function commoditiesOf(ds: PricedDataset) {
  if (!ds.commodities)
    throw new CorridorError(
      'invalid-dataset',
      'the dataset has no commodities.yaml (commodities and unit conversions), which flows need',
    );
  return ds.commodities;
}

function demandOf(sw: ScenarioWorld, demand: string | DemandSet | undefined): { set: DemandSet; ods: DemandOd[] } {
  const sets = sw.dataset.demand ?? [];
  const name = demand ?? sw.applied.demandSet;
  const set = typeof name === 'string' ? sets.find((d) => d.name === name) : name;
  if (!set)
    throw new CorridorError(
      'invalid-argument',
      `${name === undefined ? 'is required (the scenario names no demand set)' : `unknown demand set "${name}"`}; ` +
        `demand sets: ${sets.map((d) => d.name).join(', ') || '(none)'}`,
      {},
      'demand',
    );
  return { set, ods: demandInTeu(set, commoditiesOf(sw.dataset).conversions, sw.applied.demandScale) };
}

/** The demand and CO2 price of assign and compare, checked; `required`: assign needs a demand. */
function demandAndPrice(
  sw: ScenarioWorld,
  raw: { demand?: string | DemandSet; co2Price?: string | number },
  prefix: string,
  problems: FieldProblem[],
  required: boolean,
): { demand?: string | DemandSet; co2PriceUsdPerTonne?: number } {
  const out: { demand?: string | DemandSet; co2PriceUsdPerTonne?: number } = {};
  const sets = sw.dataset.demand ?? [];
  const list = sets.map((d) => d.name).join(', ') || '(none: add demand/<name>.yaml to the dataset)';
  if (raw.demand !== undefined) {
    if (typeof raw.demand !== 'string' || sets.some((d) => d.name === raw.demand)) out.demand = raw.demand;
    else
      problems.push({
        field: `${prefix}demand`,
        message: `"${raw.demand}" is not a demand set; demand sets: ${list}`,
        code: 'invalid-argument',
        value: raw.demand,
      });
  } else if (required && (sw.applied.demandSet === undefined || !sets.some((d) => d.name === sw.applied.demandSet))) {
    problems.push({
      field: `${prefix}demand`,
      message:
        `is required${sw.applied.demandSet === undefined ? ' (this scenario names no demand set)' : ''}; ` +
        `demand sets: ${list}`,
      code: 'invalid-argument',
    });
  }
  if (raw.co2Price !== undefined) {
    const n = Number(raw.co2Price);
    if ((typeof raw.co2Price === 'string' && raw.co2Price.trim() === '') || !Number.isFinite(n) || n < 0 || n > 10_000)
      problems.push({
        field: `${prefix}co2Price`,
        message: `"${raw.co2Price}" is not a number from 0 to 10000 (USD per tonne CO2e)`,
        code: 'invalid-argument',
        value: String(raw.co2Price),
      });
    else out.co2PriceUsdPerTonne = n;
  }
  if (required && !sw.dataset.commodities)
    problems.push({
      field: `${prefix}demand`,
      message: 'the dataset has no commodities.yaml (commodities and unit conversions), which assignment needs',
      code: 'invalid-dataset',
    });
  return out;
}

/** The links a selection switches on: links whose `scenarios` name one of its chain. */
function switchesOn(ds: PricedDataset, s: ScenarioSelection): string[] {
  const names = new Set(s.refs.map((r) => r.name));
  const chain = new Set<string>();
  const visit = (n: string) => {
    if (chain.has(n)) return;
    chain.add(n);
    const sc = [...ds.scenarios, ...s.refs.map((r) => r.scenario)].find((x) => x.name === n);
    for (const p of sc?.extends ?? []) visit(p);
  };
  for (const n of names) visit(n);
  return ds.links.filter((l) => l.status !== 'operational' && l.scenarios.some((x) => chain.has(x))).map((l) => l.id);
}

function definitionsDiff(
  ds: PricedDataset,
  a: ScenarioSelection,
  b: ScenarioSelection,
  changes: AppliedScenario['changes'],
): CompareAnswer['definitions'] {
  const doc = (s: ScenarioSelection): Record<string, unknown> =>
    s.refs.length === 0
      ? {}
      : s.refs.length === 1
        ? { ...(s.refs[0]?.scenario as unknown as Record<string, unknown>) }
        : { extends: s.refs.map((r) => r.name) };
  const da = doc(a);
  const db = doc(b);
  const keys = [...new Set([...Object.keys(da), ...Object.keys(db)])].sort();
  const la = switchesOn(ds, a);
  const lb = switchesOn(ds, b);
  return {
    fields: keys
      .filter((k) => JSON.stringify(da[k]) !== JSON.stringify(db[k]))
      .map((k) => ({ field: k, a: da[k] ?? null, b: db[k] ?? null })),
    links: {
      onlyA: la.filter((l) => !lb.includes(l)),
      onlyB: lb.filter((l) => !la.includes(l)),
      both: la.filter((l) => lb.includes(l)),
    },
    changes,
  };
}
