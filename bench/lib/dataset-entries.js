/**
 * The entries that need the default dataset (data/): the Pareto query over all ordered pairs of
 * places, the multi- vs single-criterion ratio, and the memory of compiling the network.
 * The dataset may be incomplete or invalid while it is being written: then each entry is
 * skipped with a note naming the first errors, and the rest of the bench runs on.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { checkDistances, median, mulberry32, percentile } from './stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(HERE, '..', '..', 'dist');
const NAMED_KINDS = ['city', 'seaport', 'rail-terminal'];
/** Above this many ordered pairs, the entry uses named places only, then a seeded sample. */
const MAX_PAIRS = 40_000;
/** Time for the timed pareto queries (findRoutes and paretoSearch, all passes). */
const PARETO_BUDGET_MS = { quick: 40_000, full: 240_000 };

/**
 * @param {string | undefined} dataDir
 * @returns {Promise<{ok: true, load: any, dir: string} | {ok: false, dir: string, note: string}>}
 */
export async function loadDefaultDataset(dataDir) {
  const { loadDataset, defaultDataDir } = await import(join(DIST, 'data', 'load.js'));
  const dir = dataDir ?? defaultDataDir();
  let load;
  try {
    load = loadDataset(dir);
  } catch (e) {
    return { ok: false, dir, note: `loading the dataset at ${dir} threw: ${String(e)}` };
  }
  if (load.errors.length > 0) {
    const first = load.errors
      .slice(0, 3)
      .map((/** @type {any} */ i) => `${i.file}${i.line ? `:${i.line}` : ''} ${i.message}`)
      .join('; ');
    return {
      ok: false,
      dir,
      note:
        `skipped: the dataset at ${dir} has ${load.errors.length} error(s) ` +
        `(${first}${load.errors.length > 3 ? '; …' : ''}); see \`node bin/corridor.js validate\``,
    };
  }
  if (load.dataset.locations.length < 2)
    return { ok: false, dir, note: `skipped: the dataset at ${dir} has fewer than 2 locations` };
  return { ok: true, load, dir };
}

/**
 * A seeded random subset of `k` items, in their original order.
 * @template T
 * @param {T[]} items
 * @param {number} k
 */
export function sample(items, k) {
  const idx = items.map((_x, i) => i);
  const rnd = mulberry32(7);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx
    .slice(0, k)
    .sort((a, b) => a - b)
    .map((i) => items[i]);
}

/**
 * Ordered (from, to) location-index pairs for the Pareto entries.
 * @param {any} net CompiledNetwork
 * @param {boolean} quick
 */
function choosePairs(net, quick) {
  const all = net.locations.map((/** @type {any} */ _l, /** @type {number} */ i) => i);
  let pool = all;
  let what = `all ${all.length} locations`;
  if (all.length * (all.length - 1) > MAX_PAIRS) {
    pool = all.filter((/** @type {number} */ i) =>
      net.locations[i].kinds.some((/** @type {string} */ k) => NAMED_KINDS.includes(k)),
    );
    what = `the ${pool.length} named places (kinds ${NAMED_KINDS.join('/')}) of ${all.length} locations`;
  }
  /** @type {[number, number][]} */
  let pairs = [];
  for (const a of pool) for (const b of pool) if (a !== b) pairs.push([a, b]);
  const cap = quick ? MAX_PAIRS / 4 : MAX_PAIRS;
  if (pairs.length > cap) {
    what += `, a seeded sample of ${cap} of their ${pairs.length} ordered pairs`;
    pairs = sample(pairs, cap);
  } else what += `, all ${pairs.length} ordered pairs`;
  return { pairs, what };
}

/**
 * Entry 3: findRoutes over every ordered pair (p50/p99), and paretoSearch vs DijkstraWorkspace.
 * @param {any} ds the loaded dataset
 * @param {{quick: boolean, log: (s: string) => void}} opts
 */
export async function paretoEntries(ds, { quick, log }) {
  const { compileNetwork, NUM_CLASSES } = await import(join(DIST, 'network', 'compile.js'));
  const { findRoutes } = await import(join(DIST, 'routing', 'route.js'));
  const { paretoSearch } = await import(join(DIST, 'routing', 'pareto.js'));
  const { DijkstraWorkspace } = await import(join(DIST, 'routing', 'dijkstra.js'));
  const net = compileNetwork(ds);
  let { pairs, what } = choosePairs(net, quick);
  const size = `${net.locations.length} locations, ${net.vertexCount} vertices, ${net.arcCount} arcs`;
  // 3 runs per pair in both modes: with a single run, p99 mostly measures preemption on a busy
  // machine. --quick has the smaller time budget instead, which may cut the pairs to a sample.
  const passes = 3;
  const ids = net.locations.map((/** @type {any} */ l) => l.id);

  // --- Warm-up: up to 2000 pairs (a seeded sample, spread over all origins) or 3 s; it also tells how long a
  // query takes, and if timing
  // every pair (findRoutes and paretoSearch, `passes` times each) would blow the time budget,
  // the pairs are cut down to a seeded sample that fits.
  const warm = [];
  const warmMs = [];
  const tw = performance.now();
  for (const [a, b] of sample(pairs, Math.min(pairs.length, 2000))) {
    const t0 = performance.now();
    findRoutes(net, { from: ids[a], to: ids[b] });
    warmMs.push(performance.now() - t0);
    warm.push([a, b]);
    if (warm.length >= 2000 || performance.now() - tw > 3000) break;
  }
  // Mean of the second half of the warm-up (the first half includes JIT compilation).
  const tail = warmMs.slice(warmMs.length >> 1);
  const perQueryMs = tail.reduce((x, y) => x + y, 0) / tail.length;
  const budgetMs = quick ? PARETO_BUDGET_MS.quick : PARETO_BUDGET_MS.full;
  // findRoutes with explanations dominates; the explain: false run and paretoSearch add < 1×.
  const fit = Math.max(100, Math.floor(budgetMs / (perQueryMs * passes * 2)));
  if (pairs.length > fit) {
    what +=
      `, cut to a seeded sample of ${fit} pairs to fit the ${budgetMs / 1000} s budget (warm-up mean ` +
      `${perQueryMs.toFixed(2)} ms a query)`;
    pairs = sample(pairs, fit);
  }
  log(`  pareto: ${what}; ${passes} timed pass(es) after a warm-up over ${warm.length} pairs`);

  // --- findRoutes per pair, `passes` passes; per-pair median, then p50/p99 over pairs.
  const perPair = pairs.map(() => /** @type {number[]} */ ([]));
  let options = 0;
  let noRoute = 0;
  for (let p = 0; p < passes; p++) {
    for (let i = 0; i < pairs.length; i++) {
      const [a, b] = pairs[i];
      const t0 = performance.now();
      const r = findRoutes(net, { from: ids[a], to: ids[b] });
      perPair[i].push(performance.now() - t0);
      if (p === 0) {
        options += r.options.length;
        if (r.options.length === 0) noRoute++;
      }
    }
  }
  const routeMs = perPair.map(median);

  // --- The same without the explanations (`explain: false`): the answer's options only.
  for (const [a, b] of warm) findRoutes(net, { from: ids[a], to: ids[b], explain: false });
  const plainMs = pairs.map(([a, b]) => {
    const samples = [];
    for (let p = 0; p < passes; p++) {
      const t0 = performance.now();
      findRoutes(net, { from: ids[a], to: ids[b], explain: false });
      samples.push(performance.now() - t0);
    }
    return median(samples);
  });

  // --- paretoSearch alone (same pairs, no constraints) and the single-criterion Dijkstra.
  const banned = new Uint8Array(net.arcCount);
  const searchMs = new Array(pairs.length);
  /** @type {number[]} fastest time per pair from the Pareto set (Infinity: none) */
  const paretoFastest = new Array(pairs.length);
  for (const [a, b] of warm) paretoSearch({ net, origin: a, destination: b, banned });
  for (let i = 0; i < pairs.length; i++) {
    const [a, b] = pairs[i];
    const samples = [];
    let res = [];
    for (let p = 0; p < passes; p++) {
      const t0 = performance.now();
      res = paretoSearch({ net, origin: a, destination: b, banned });
      samples.push(performance.now() - t0);
    }
    searchMs[i] = median(samples);
    paretoFastest[i] = res.reduce(
      (/** @type {number} */ m, /** @type {any} */ r) => Math.min(m, r.durationH),
      Infinity,
    );
  }

  const { dijkstraMs, origins, minBatchMs, batches, check } = singleCriterionCheck(net, pairs, paretoFastest, {
    quick,
    NUM_CLASSES,
    DijkstraWorkspace,
  });

  const p50 = percentile(routeMs, 0.5);
  const p99 = percentile(routeMs, 0.99);
  const searchP50 = median(searchMs);
  const dijkstraP50 = median(dijkstraMs);
  const reps = `${passes} timed run(s) per pair after a warm-up over ${warm.length} pairs`;
  return [
    {
      name: `pareto findRoutes all pairs (${pairs.length.toLocaleString('en-US')} pairs; ${size})`,
      oursMs: p50,
      peer: null,
      peerMs: null,
      ratio: null,
      p50Ms: p50,
      p99Ms: p99,
      maxMs: Math.max(...routeMs),
      meanOptions: options / pairs.length,
      pairsWithoutRoute: noRoute,
      target: 'p50 ≤ 1 ms, p99 ≤ 5 ms',
      targetMet: p50 <= 1 && p99 <= 5,
      reps,
      note:
        `findRoutes(net, {from, to}) with its defaults (explanations on) per ordered pair of ${what}: place ` +
        `resolution, bannedArcs, paretoSearch, the options, and explainAlternatives (one more paretoSearch ` +
        `per route family absent from the answer); per-pair median of ${passes} run(s), then p50/p99 over ` +
        `pairs. paretoSearch alone: p50 ${searchP50.toFixed(3)} ms, p99 ` +
        `${percentile(searchMs, 0.99).toFixed(3)} ms`,
    },
    {
      name: `pareto findRoutes explain:false all pairs (${pairs.length.toLocaleString('en-US')} pairs; ${size})`,
      oursMs: percentile(plainMs, 0.5),
      peer: null,
      peerMs: null,
      ratio: null,
      p50Ms: percentile(plainMs, 0.5),
      p99Ms: percentile(plainMs, 0.99),
      maxMs: Math.max(...plainMs),
      target: 'p50 ≤ 1 ms, p99 ≤ 5 ms',
      targetMet: percentile(plainMs, 0.5) <= 1 && percentile(plainMs, 0.99) <= 5,
      reps,
      note:
        'the same pairs with findRoutes(net, {from, to, explain: false}): no explainAlternatives, everything ' +
        'else as above',
    },
    {
      name: `pareto vs single-criterion (${size})`,
      oursMs: searchP50,
      peer: 'dijkstra (ours, single-criterion)',
      peerMs: dijkstraP50,
      ratio: searchP50 / dijkstraP50,
      p50Ms: searchP50,
      p99Ms: percentile(searchMs, 0.99),
      reps:
        `ours: ${reps}; peer: per origin, batched runs (≥ ${minBatchMs} ms a batch), median of ${batches} ` +
        `batches, then median over ${origins.length} origins`,
      checked:
        `fastest Pareto option = Dijkstra shortest time for all ${check.compared} pairs (${check.reached} ` +
        `reachable), max rel diff ${check.maxRelDiff.toExponential(1)}`,
      note:
        'ours = paretoSearch (time, cost, CO2e; one origin → one destination, no constraints), median over ' +
        'pairs; peer = DijkstraWorkspace.run on the same compiled network with weight = arcDurationH, ' +
        "one-to-all from a super-source joined to the origin's departure vertices, median over origins",
    },
  ];
}

/**
 * The single-criterion reference for the "pareto … vs single-criterion" entries, and the check of
 * the Pareto answers against it. Dijkstra from an origin location = from all its departure
 * vertices at once: a super-source vertex V with 0-weight arcs to them, appended to a copy of the
 * CSR (built outside the timing); weight = arcDurationH. Tiny runs are timed in batches.
 * Check: for every pair, the fastest Pareto option's duration (`paretoFastest[i]`, Infinity = no
 * option) equals the Dijkstra time to the destination's arrival vertices (MismatchError if not).
 * @param {any} net CompiledNetwork
 * @param {[number, number][]} pairs
 * @param {number[]} paretoFastest
 * @param {{quick: boolean, NUM_CLASSES: number, DijkstraWorkspace: any}} opts
 */
export function singleCriterionCheck(net, pairs, paretoFastest, { quick, NUM_CLASSES, DijkstraWorkspace }) {
  const V = net.vertexCount;
  const E = net.arcCount;
  const ws = new DijkstraWorkspace(V + 1);
  const origins = [...new Set(pairs.map((p) => p[0]))];
  const dijkstraMs = [];
  /** @type {Map<number, Float64Array>} */
  const distByOrigin = new Map();
  const minBatchMs = quick ? 0.5 : 2;
  const batches = quick ? 3 : 7;
  for (const o of origins) {
    const deps = [];
    for (let c = 0; c < NUM_CLASSES; c++) {
      const v = net.vertexOf[(o * NUM_CLASSES + c) * 2 + 1];
      if (v >= 0) deps.push(v);
    }
    const start = new Uint32Array(V + 2);
    start.set(net.arcStart);
    start[V + 1] = E + deps.length;
    const target = new Uint32Array(E + deps.length);
    target.set(net.arcTarget);
    target.set(deps, E);
    const weight = new Float64Array(E + deps.length);
    weight.set(net.arcDurationH);
    const g = { vertexCount: V + 1, start, target };
    // Warm-up, then batches of runs long enough to time reliably; the median batch mean.
    let batch = 1;
    for (;;) {
      const t0 = performance.now();
      for (let k = 0; k < batch; k++) ws.run(g, weight, V);
      if (performance.now() - t0 >= minBatchMs || batch >= 1 << 16) break;
      batch *= 2;
    }
    const samples = [];
    for (let r = 0; r < batches; r++) {
      const t0 = performance.now();
      for (let k = 0; k < batch; k++) ws.run(g, weight, V);
      samples.push((performance.now() - t0) / batch);
    }
    dijkstraMs.push(median(samples));
    distByOrigin.set(o, ws.dist.slice(0, V));
  }

  // Check: the fastest Pareto option = the single-criterion shortest time, for every pair.
  const ours = new Float64Array(pairs.length);
  const theirs = new Float64Array(pairs.length);
  for (let i = 0; i < pairs.length; i++) {
    const [a, b] = pairs[i];
    const dist = /** @type {Float64Array} */ (distByOrigin.get(a));
    let best = Infinity;
    for (let c = 0; c < NUM_CLASSES; c++) {
      const v = net.vertexOf[(b * NUM_CLASSES + c) * 2];
      if (v >= 0 && dist[v] < best) best = dist[v];
    }
    ours[i] = paretoFastest[i];
    theirs[i] = best;
  }
  const check = checkDistances(
    ours,
    theirs,
    'pareto fastest option vs dijkstra (ours, single-criterion) shortest time per pair',
  );
  return { dijkstraMs, origins, minBatchMs, batches, check };
}

/**
 * Entry 4: RSS of compiling the default network, measured in a fresh child process.
 * @param {string} dir
 * @param {{quick: boolean}} opts
 */
export function memoryEntry(dir, { quick }) {
  const out = execFileSync(process.execPath, ['--expose-gc', join(HERE, 'memory-child.js'), dir, quick ? '5' : '20'], {
    encoding: 'utf8',
  });
  const m = JSON.parse(out.trim().split('\n').pop() ?? '{}');
  return {
    name: `memory compile default network (${m.vertices} vertices, ${m.arcs} arcs)`,
    oursMs: m.compileMs,
    peer: null,
    peerMs: null,
    ratio: null,
    rssBeforeMB: m.rssBeforeMB,
    rssAfterMB: m.rssAfterMB,
    rssDeltaMB: m.rssAfterMB - m.rssBeforeMB,
    peakRssMB: m.peakRssMB,
    heapDeltaMB: m.heapDeltaMB,
    typedArraysKB: m.arrayKB,
    reps: `RSS: first compile in a fresh process; time: median of ${m.runs} compiles after 2 warm-up compiles`,
    note:
      'informational. Fresh `node --expose-gc` process: load the dataset, gc, RSS before; compileNetwork ' +
      'once, RSS after (no gc in between); peak = process max RSS (includes loading the YAML); ' +
      "typedArraysKB = bytes of the compiled network's typed arrays. oursMs = median compile time",
  };
}
