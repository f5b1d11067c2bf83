/**
 * Bench entries for timed planning (issue 4):
 * - `plan 6-week horizon`: p50 of `planItineraries` (place resolution, constraint mask,
 *   time-dependent Pareto search, itineraries; Monte Carlo excluded with samples = 1) over a
 *   fixed set of origin–destination pairs and ready times on the default dataset, with a 42-day
 *   horizon; compared with the untimed `findRoutes` (explain off) on the same pairs. Target p50 ≤ 5 ms.
 * - `monte carlo 10,000 samples`: one itinerary (Xi'an → Baku, fastest) replayed 10,000 times.
 *   Target ≤ 20 ms.
 * `run({quick})` loads the default dataset itself (used on its own: `node bench/plan.js`);
 * `planEntries(dataset, {quick, log})` is what bench/run.js calls.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { median, percentile, timeRuns } from './lib/stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(HERE, '..', 'dist');

const PAIRS = [
  ["Xi'an", 'Baku'],
  ["Xi'an", 'Duisburg'],
  ['Altynkol', 'Constanța'],
  ['Chongqing', 'Istanbul'],
  ['Shanghai', 'Rotterdam'],
  ['Urumqi', 'Poti'],
  ['Almaty', 'Budapest'],
  ['Lianyungang', 'Hamburg'],
];
const READY = ['2025-01-06T08:00', '2025-03-13T17:30', '2025-07-19T02:00', '2025-11-27T12:00'];
const HORIZON_H = 42 * 24;

/**
 * @param {any} dataset a loaded, valid dataset
 * @param {{quick?: boolean, log?: (s: string) => void}} opts
 */
export async function planEntries(dataset, { quick = false, log = () => {} } = {}) {
  const { compileNetwork } = await import(join(DIST, 'network', 'compile.js'));
  const { compileTimetable } = await import(join(DIST, 'schedule', 'timetable.js'));
  const { planItineraries } = await import(join(DIST, 'schedule', 'plan.js'));
  const { findRoutes } = await import(join(DIST, 'routing', 'route.js'));
  const { timedParetoSearch } = await import(join(DIST, 'schedule', 'search.js'));
  const { bannedArcs } = await import(join(DIST, 'routing', 'constraints.js'));
  const { arrivalDistribution } = await import(join(DIST, 'schedule', 'reliability.js'));
  const { readyTimeH } = await import(join(DIST, 'schedule', 'plan.js'));

  const net = compileNetwork(dataset);
  const tt = compileTimetable(net, dataset);
  const queries = PAIRS.flatMap(([from, to]) => READY.map((ready) => ({ from, to, ready })));
  const rounds = quick ? 20 : 100;

  // Each query timed on its own, many rounds; the entry reports the median over all of them.
  const planMs = [];
  const routeMs = [];
  let found = 0;
  for (let round = -3; round < rounds; round++) {
    for (const q of queries) {
      const t0 = performance.now();
      const r = planItineraries(tt, { ...q, samples: 1, maxDurationH: HORIZON_H });
      const t1 = performance.now();
      findRoutes(net, { from: q.from, to: q.to, explain: false });
      const t2 = performance.now();
      if (round < 0) {
        if (round === -1) found += r.itineraries.length;
        continue;
      }
      planMs.push(t1 - t0);
      routeMs.push(t2 - t1);
    }
  }
  const p50 = median(planMs);
  const routeP50 = median(routeMs);
  log(
    `  plan (${queries.length} queries × ${rounds} rounds, 42-day horizon): p50 ${p50.toFixed(3)} ms, ` +
      `p90 ${percentile(planMs, 0.9).toFixed(3)} ms; untimed findRoutes p50 ${routeP50.toFixed(3)} ms; ` +
      `${found} itineraries per round`,
  );

  // Monte Carlo of one itinerary: the fastest Xi'an → Baku.
  const origin = net.locationIndex.get('CNXIA');
  const destination = net.locationIndex.get('AZBAK');
  const readyH = readyTimeH('2025-01-06T08:00', net.locations[origin]);
  const path = timedParetoSearch({ tt, origin, destination, readyH, banned: bannedArcs(net, {}) })[0];
  const mc = timeRuns(
    () => arrivalDistribution(tt, path.steps, readyH, 10_000, 1),
    quick
      ? { warmup: 5, minRuns: 20, maxRuns: 100, budgetMs: 500 }
      : { warmup: 20, minRuns: 50, maxRuns: 500, budgetMs: 3000 },
  );
  const steps = path.steps.length;
  log(`  monte carlo 10,000 samples (${steps} steps): median ${mc.medianMs.toFixed(2)} ms over ${mc.runs} runs`);

  return [
    {
      name: 'plan 6-week horizon (default dataset)',
      oursMs: p50,
      peer: 'findRoutes untimed (ours, same pairs, explain off)',
      peerMs: routeP50,
      ratio: p50 / routeP50,
      target: 'p50 ≤ 5 ms',
      targetMet: p50 <= 5,
      p90Ms: percentile(planMs, 0.9),
      minMs: Math.min(...planMs),
      queries:
        `${PAIRS.length} origin–destination pairs × ${READY.length} ready times, ${rounds} rounds; Monte ` +
        `Carlo excluded (samples 1)`,
    },
    {
      name: 'monte carlo 10,000 samples, one itinerary',
      oursMs: mc.medianMs,
      peer: null,
      peerMs: null,
      ratio: null,
      target: '≤ 20 ms',
      targetMet: mc.medianMs <= 20,
      minMs: Math.min(...mc.samplesMs),
      itinerary: `Xi'an → Baku fastest, ${steps} steps`,
      reps: `${mc.warmup} warm-up + ${mc.runs} timed`,
    },
  ];
}

/** Stand-alone entry point: loads the default dataset and returns the entries. */
export async function run({ quick = false } = {}) {
  const { loadDataset } = await import(join(DIST, 'data', 'load.js'));
  const load = loadDataset();
  if (load.errors.length > 0)
    throw new Error(`the default dataset has ${load.errors.length} error(s); run corridor validate`);
  return planEntries(load.dataset, { quick, log: (s) => console.log(s) });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const entries = await run({ quick: process.argv.includes('--quick') });
  console.log(JSON.stringify(entries, null, 2));
}
