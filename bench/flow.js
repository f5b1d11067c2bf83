/**
 * Flow benchmarks (issue 6): `run({quick})` returns bench entries; `node bench/flow.js [--quick]`
 * runs them alone and writes bench/results/flow.json.
 *
 * - `min-cost-flow netgen …`: our network simplex on NETGEN-8-style instances (5k, 20k, 100k arcs)
 *   against LEMON's NetworkSimplex (C++, Debian liblemon-dev; a harness in bench/peers compiled here
 *   with g++) and HiGHS (wasm, the same problem as an LP). Same optimum required (LEMON exactly,
 *   integer data; HiGHS within 1e-9 relative) before a time is reported. Target: ≤ 2× LEMON.
 * - `multicommodity …`: column generation (shortest-path pricing, master LP by HiGHS) against the
 *   full arc-based LP by HiGHS, 1,000 OD pairs on 20,000 arcs. Same objective within 1e-6
 *   relative. Target: ≤ 0.2× HiGHS.
 * Ours and the peer of each entry run back to back, so a busy machine slows both alike; against
 * LEMON in several rounds (median ratio and its spread reported), each side timed over the same
 * work: from the problem in memory to flows and potentials out (see bench/peers/lemon-mcf.cpp).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { multicommodityInstance } from './lib/mcf-instance.js';
import { netgen, toDimacs } from './lib/netgen.js';
import { median, timeRuns } from './lib/stats.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(HERE, '..', 'dist');

const LEMON_INSTALL = 'apt-get install -y liblemon-dev g++ (Debian/Ubuntu)';

/** Compiles the LEMON harness into a temp dir; {path} or {why}. */
function buildLemon() {
  if (!existsSync('/usr/include/lemon/network_simplex.h'))
    return { why: 'LEMON headers not found (/usr/include/lemon/network_simplex.h)' };
  const gxx = spawnSync('g++', ['--version'], { encoding: 'utf8' });
  if (gxx.status !== 0) return { why: 'g++ not found' };
  const dir = mkdtempSync(join(tmpdir(), 'corridor-lemon-'));
  const exe = join(dir, 'lemon-mcf');
  const r = spawnSync('g++', ['-O2', '-std=c++17', join(HERE, 'peers', 'lemon-mcf.cpp'), '-o', exe, '-llemon'], {
    encoding: 'utf8',
  });
  if (r.status !== 0)
    return {
      why: `compiling the LEMON harness failed: ${
        r.stderr.split('\n').find((l) => l.includes('error')) ?? r.stderr.slice(0, 200)
      }`,
    };
  const version =
    spawnSync('dpkg-query', ['-W', `-f=${'$'}{Version}`, 'liblemon-dev'], { encoding: 'utf8' }).stdout || 'unknown';
  return { path: exe, dir, version: `LEMON ${version} NetworkSimplex (BLOCK_SEARCH), g++ -O2` };
}

const relDiff = (a, b) => Math.abs(a - b) / Math.max(1, Math.abs(b));

/**
 * @param {{quick?: boolean, log?: (s: string) => void}} [opts]
 */
export async function run(opts = {}) {
  const quick = !!opts.quick;
  const log = opts.log ?? ((s) => console.log(s));
  const { networkSimplex, NetworkSimplexWorkspace } = await import(join(DIST, 'flow', 'network-simplex.js'));
  const { solveColumnGeneration } = await import(join(DIST, 'flow', 'column-generation.js'));
  const { buildArcLp, minCostFlowLp } = await import(join(DIST, 'flow', 'arc-lp.js'));
  const { arcResourceIndex } = await import(join(DIST, 'flow', 'problem.js'));
  const { createHighsSolver } = await import(join(DIST, 'solver', 'highs.js'));
  const highs = await createHighsSolver({ inline: true });
  const entries = [];
  const reps = quick
    ? { warmup: 3, minRuns: 5, maxRuns: 40, budgetMs: 1500 }
    : { warmup: 5, minRuns: 15, maxRuns: 200, budgetMs: 5000 };
  const lemon = buildLemon();
  if (!lemon.path) log(`  LEMON: SKIPPED — ${lemon.why}. Install: ${LEMON_INSTALL}`);

  for (const [label, nodes] of [
    ['5k', 625],
    ['20k', 2500],
    ['100k', 12500],
  ]) {
    const p = netgen({ nodes, arcs: 8 * nodes, seed: 20260511 + nodes });
    const name = `min-cost-flow netgen ${label} arcs`;
    log(`\n${name}\n  ${p.name}`);
    const ws = new NetworkSimplexWorkspace();
    let res;
    const ours = timeRuns(() => (res = networkSimplex(p, ws)), reps);
    if (res.status !== 'optimal') throw new Error(`${name}: ours ended ${res.status}`);
    log(
      `  ours (network simplex, block search): median ${ours.medianMs.toFixed(2)} ms (${ours.warmup} ` +
        `warm-up + ${ours.runs} timed), cost ${res.totalCost}, ${res.pivots} pivots`,
    );
    const base = { name, graph: p.name, oursMs: ours.medianMs };

    if (lemon.path) {
      const file = join(lemon.dir, `${label}.min`);
      writeFileSync(file, toDimacs(p));
      // Rounds of (ours, then LEMON) back to back: this shared machine's load changes from second
      // to second, so each round gives a ratio under one load; the entry reports their median and
      // spread.
      const rounds = quick ? 3 : 7;
      const runs = quick ? 7 : 15;
      const ourMeds = [];
      const lemonMeds = [];
      const runOnlyMeds = [];
      const ratios = [];
      // Ours runs as many times per round in --quick as in the full run (it is the cheap side): with
      // fewer calls V8 has not finished optimising the pivot loop, and the quick ratio came out
      // 1.2–1.4× the full one for the same code.
      const roundReps = { warmup: 5, minRuns: 15, maxRuns: 200, budgetMs: quick ? 1500 : 5000 };
      for (let r = 0; r < rounds; r++) {
        const again = timeRuns(() => networkSimplex(p, ws), roundReps);
        const out = JSON.parse(execFileSync(lemon.path, [file, String(runs + 2)], { encoding: 'utf8' }));
        if (out.status !== 'optimal' || out.totalCost !== res.totalCost)
          throw new Error(`${name}: LEMON cost ${out.totalCost} (${out.status}) differs from ours ${res.totalCost}`);
        const lemonMs = median(out.samplesMs.slice(2));
        ourMeds.push(again.medianMs);
        lemonMeds.push(lemonMs);
        runOnlyMeds.push(median(out.runOnlyMs.slice(2)));
        ratios.push(again.medianMs / lemonMs);
        log(
          `  round ${r + 1}: ours ${again.medianMs.toFixed(2)} ms (${again.runs} runs), lemon ` +
            `${lemonMs.toFixed(2)} ms (run() alone ${runOnlyMeds[r].toFixed(2)} ` +
            `ms; ${runs} runs), ratio ${ratios[r].toFixed(3)}`,
        );
      }
      const ratio = median(ratios);
      const lo = Math.min(...ratios);
      const hi = Math.max(...ratios);
      const lemonMs = median(lemonMeds);
      const runOnlyMs = median(runOnlyMeds);
      log(
        `  lemon: median ${lemonMs.toFixed(2)} ms; ours ${median(ourMeds).toFixed(2)} ms; ratio median ` +
          `${ratio.toFixed(3)} (rounds ${lo.toFixed(2)}–${hi.toFixed(2)}) — target ≤ 2: ` +
          `${ratio <= 2 ? 'met' : 'NOT MET'}; same optimum ${res.totalCost}`,
      );
      entries.push({
        ...base,
        oursMs: median(ourMeds),
        peer: 'lemon',
        peerMs: lemonMs,
        ratio,
        ratioRange: [lo, hi],
        rounds,
        peerRunOnlyMs: runOnlyMs,
        target: 'ours ≤ 2× lemon',
        targetMet: ratio <= 2,
        peerVersion: lemon.version,
        checked: `identical total cost ${res.totalCost}`,
        note:
          `like for like: both timed from the problem in memory to flows and potentials out — ours ` +
          `networkSimplex() with a reused workspace (copies the input in, writes flows back in input order); ` +
          `LEMON reset() + upperMap/costMap/supplyMap + run() + flowMap/potentialMap (its run() alone: ` +
          `${runOnlyMs.toFixed(2)} ms, ratio ${(median(ourMeds) / runOnlyMs).toFixed(2)}). Median of ${rounds} ` +
          `back-to-back rounds, ratio spread ${lo.toFixed(2)}–${hi.toFixed(2)}`,
      });
    } else {
      entries.push({
        ...base,
        peer: 'lemon',
        peerMs: null,
        ratio: null,
        skipped: true,
        note: `skipped: ${lemon.why}; install with: ${LEMON_INSTALL}`,
      });
    }

    if (quick && nodes > 5000) {
      // One HiGHS solve of the 100k-arc LP takes ~30 s here, a sixth of the quick run's budget.
      log('  highs: skipped in --quick (one solve takes ~30 s); the full run measures it');
      entries.push({
        ...base,
        peer: 'highs',
        peerMs: null,
        ratio: null,
        skipped: true,
        note: 'skipped in --quick: one HiGHS solve of this LP takes ~30 s; `npm run bench` measures it',
      });
      continue;
    }
    const lp = minCostFlowLp(p);
    const hReps = quick ? { warmup: 0, minRuns: 1 } : { warmup: 1, minRuns: nodes > 5000 ? 2 : 5 };
    let hr;
    const h = [];
    for (let i = 0; i < hReps.warmup + hReps.minRuns; i++) {
      const t0 = performance.now();
      hr = await highs.solve(lp);
      if (i >= hReps.warmup) h.push(performance.now() - t0);
    }
    if (hr.status !== 'optimal' || relDiff(hr.objective, res.totalCost) > 1e-9)
      throw new Error(`${name}: HiGHS objective ${hr.objective} (${hr.status}) differs from ours ${res.totalCost}`);
    const highsMs = median(h);
    log(
      `  highs: median ${highsMs.toFixed(1)} ms (${hReps.warmup} warm-up + ` +
        `${h.length} timed); ratio ${(ours.medianMs / highsMs).toFixed(4)}`,
    );
    entries.push({
      ...base,
      peer: 'highs',
      peerMs: highsMs,
      ratio: ours.medianMs / highsMs,
      peerVersion: highs.name,
      checked: `objective within 1e-9 (${hr.objective})`,
      note: 'HiGHS solves the node-arc LP in-process (no worker), model passing included',
    });
  }

  {
    const inst = multicommodityInstance({
      nodes: 2500,
      arcs: 20000,
      origins: 20,
      destinationsPerOrigin: 50,
      capacitatedShare: 0.2,
      seed: 6,
    });
    const p = {
      ...inst,
      resourceCount: inst.resourceArcs.length,
      ...arcResourceIndex(inst.graph.arcCount, inst.resourceArcs),
    };
    const name = 'multicommodity 1,000 ODs 20k arcs';
    log(`\n${name}\n  ${inst.name}`);
    let cg;
    const cgTimes = [];
    const cgRuns = quick ? 2 : 5;
    for (let i = 0; i < cgRuns + 1; i++) {
      const t0 = performance.now();
      cg = await solveColumnGeneration(p, highs);
      if (i > 0) cgTimes.push(performance.now() - t0);
    }
    const oursMs = median(cgTimes);
    log(
      `  ours (column generation): median ${oursMs.toFixed(0)} ms (1 warm-up + ${cgTimes.length} timed), ` +
        `${cg.iterations} rounds, objective ${cg.objective}`,
    );
    const t0 = performance.now();
    const lp = buildArcLp(p);
    const buildMs = performance.now() - t0;
    const t1 = performance.now();
    const full = await highs.solve(lp.model);
    const highsMs = performance.now() - t1 + buildMs;
    const rd = relDiff(cg.objective, full.objective);
    if (full.status !== 'optimal' || rd > 1e-6)
      throw new Error(
        `${name}: HiGHS arc LP objective ${full.objective} (${full.status}) differs from ours ${cg.objective}`,
      );
    const ratio = oursMs / highsMs;
    log(
      `  highs (arc-based LP, ${lp.model.numCols.toLocaleString('en-US')} columns × ` +
        `${lp.model.numRows.toLocaleString('en-US')} rows): ${highsMs.toFixed(0)} ms (1 run); ratio ` +
        `${ratio.toFixed(3)} — target ≤ 0.2: ` +
        `${ratio <= 0.2 ? 'met' : 'NOT MET'}; objective rel diff ${rd.toExponential(1)}`,
    );
    entries.push({
      name,
      graph: inst.name,
      oursMs,
      peer: 'highs',
      peerMs: highsMs,
      ratio,
      target: 'ours ≤ 0.2× highs',
      targetMet: ratio <= 0.2,
      peerVersion: highs.name,
      checked: `objective within 1e-6 relative (${rd.toExponential(1)})`,
      note:
        `HiGHS solves the full arc-based LP (origin-aggregated, ${lp.model.numCols} columns); one timed run ` +
        `incl. building the LP (${buildMs.toFixed(0)} ms). Ours: column generation with Dijkstra pricing, ` +
        `its master LP also by HiGHS (in-process)`,
    });
  }
  if (lemon.dir) rmSync(lemon.dir, { recursive: true, force: true });
  await highs.close();
  return entries;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes('--quick');
  const entries = await run({ quick });
  mkdirSync(join(HERE, 'results'), { recursive: true });
  writeFileSync(join(HERE, 'results', 'flow.json'), `${JSON.stringify(entries, null, 2)}\n`);
  if (process.argv.includes('--entries-only')) process.exit(0);
  console.log('\nentry | ours ms | peer | peer ms | ratio');
  for (const e of entries)
    console.log(
      `${e.name} | ${e.oursMs?.toFixed(2)} | ${e.peer} | ` +
        `${e.peerMs?.toFixed(2) ?? '—'} | ${e.ratio?.toFixed(3) ?? 'skipped'}`,
    );
  console.log('wrote bench/results/flow.json');
  void readFileSync;
}
