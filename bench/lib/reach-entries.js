/**
 * Entries for reach (issue 13): the world gazetteer (load, memory, search latency; measured in a
 * child process so the heap figure is the gazetteer's alone) and door-to-door queries through the
 * service — the first query of an access pair (which compiles the query's network) against a
 * repeated one (cached), and the compile's own share.
 */
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, timeRuns } from './stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(HERE, '..', '..', 'dist');
const PAIRS = [
  ['Warsaw', 'Mersin'],
  ['Yiwu', 'Milan'],
  ['Bishkek', 'Paris'],
];

/**
 * @param {any} ds a loaded PricedDataset
 * @param {{quick: boolean, log: (s: string) => void}} o
 */
export async function reachEntries(ds, { quick, log }) {
  const out = [];
  const child = spawnSync(process.execPath, ['--expose-gc', join(HERE, 'reach-child.js'), quick ? '50' : '300'], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`reach-child failed: ${child.stderr}`);
  const g = JSON.parse(child.stdout.trim().split('\n').pop());
  out.push({
    name: 'gazetteer search',
    oursMs: g.searchP50Ms,
    peer: null,
    peerMs: null,
    ratio: null,
    graph: `${g.places} places`,
    note:
      `p50 ${g.searchP50Ms.toFixed(3)} ms, p99 ${g.searchP99Ms.toFixed(3)} ms over ${g.searches} searches ` +
      `(exact, other scripts, qualifiers, prefixes, typos); index read and built in ${Math.round(g.loadMs)} ms, ` +
      `${g.addedMb.toFixed(1)} MB heap + typed arrays`,
    p99Ms: g.searchP99Ms,
    loadMs: g.loadMs,
    addedMb: g.addedMb,
  });
  log(
    `  gazetteer: ${g.places} places, load ${Math.round(g.loadMs)} ms, ${g.addedMb.toFixed(1)} MB, ` +
      `search p50 ${g.searchP50Ms.toFixed(3)} ms p99 ${g.searchP99Ms.toFixed(3)} ms`,
  );

  const { CorridorService } = await import(join(DIST, 'service', 'service.js'));
  const { World } = await import(join(DIST, 'service', 'world.js'));
  const { worldPlaces } = await import(join(DIST, 'data', 'gazetteer.js'));
  const { compileNetwork } = await import(join(DIST, 'network', 'compile.js'));
  worldPlaces();
  const reps = quick
    ? { warmup: 2, minRuns: 5, maxRuns: 30, budgetMs: 1500 }
    : { warmup: 5, minRuns: 20, maxRuns: 200, budgetMs: 5000 };
  for (const [from, to] of PAIRS) {
    const query = { from, to, date: '2026-12-07' };
    // A fresh service each run: the query's network is compiled (the first query of this pair).
    const coldMs = [];
    for (let i = 0; i < (quick ? 5 : 20); i++) {
      const s = new CorridorService({ world: new World(ds), places: worldPlaces, today: () => '2026-12-07' });
      // Compiling the scenario's own network is not part of the query: do it before the clock starts.
      void s.world.base.network;
      const t0 = performance.now();
      s.route(await s.prepareRoute(query), { explain: false });
      coldMs.push(performance.now() - t0);
    }
    const cold = { medianMs: median(coldMs) };
    const svc = new CorridorService({ world: new World(ds), places: worldPlaces, today: () => '2026-12-07' });
    const prepared = await svc.prepareRoute(query);
    const warm = timeRuns(() => svc.route(prepared, { explain: false }), reps);
    const compile = timeRuns(() => compileNetwork(ds), reps);
    out.push({
      name: `door-to-door route ${from} → ${to}`,
      oursMs: warm.medianMs,
      peer: 'first query of the pair (compiles its network)',
      peerMs: cold.medianMs,
      ratio: warm.medianMs / cold.medianMs,
      note:
        `priced Pareto search without explanations; the query network is cached after the first query; ` +
        `compileNetwork of the whole dataset alone: ${compile.medianMs.toFixed(2)} ms`,
    });
    log(
      `  door-to-door ${from} → ${to}: ${warm.medianMs.toFixed(2)} ms cached, first ${cold.medianMs.toFixed(2)} ms ` +
        `(compile ${compile.medianMs.toFixed(2)} ms)`,
    );
  }
  return out;
}
