/**
 * Child process for the memory entries: `node --expose-gc memory-child.js DATA_DIR RUNS [MARNET_FILE]`.
 * Prints one JSON line with RSS before/after the first compile, the process's peak RSS and
 * the median compile time over RUNS further compiles (after 2 warm-up compiles; none if RUNS = 0). With
 * MARNET_FILE, the dataset is first
 * enlarged with the MARNET lanes (enlarged.js) and that is what gets compiled.
 */
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const [dir, runsArg, marnetFile] = process.argv.slice(2);
const runs = Number(runsArg ?? 10);
const MB = 1024 * 1024;
const gc = /** @type {() => void} */ (globalThis.gc);

const { loadDataset } = await import(join(DIST, 'data', 'load.js'));
const { compileNetwork } = await import(join(DIST, 'network', 'compile.js'));
const load = loadDataset(dir);
if (load.errors.length > 0) {
  console.error(`dataset has ${load.errors.length} errors`);
  process.exit(2);
}
let dataset = load.dataset;
let enlarged;
if (marnetFile) {
  const { buildEnlargedDataset } = await import('./enlarged.js');
  const t0 = performance.now();
  const e = buildEnlargedDataset(load.dataset, marnetFile);
  enlarged = { buildMs: performance.now() - t0, locations: e.dataset.locations.length, links: e.dataset.links.length };
  dataset = e.dataset;
}
// Let the collector return freed pages to the OS before the "before" reading.
for (let i = 0; i < 3; i++) {
  gc();
  await new Promise((r) => setTimeout(r, 100));
}
const before = process.memoryUsage();
const tFirst = performance.now();
let net = compileNetwork(dataset);
const firstCompileMs = performance.now() - tFirst;
const after = process.memoryUsage();
const peakRssMB = process.resourceUsage().maxRSS / 1024;
// RUNS = 0: no timing compiles (compileMs is then the first, cold compile).
if (runs > 0) for (let i = 0; i < 2; i++) net = compileNetwork(dataset);
const samples = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  net = compileNetwork(dataset);
  samples.push(performance.now() - t0);
}
let arrayBytes = 0;
for (const v of Object.values(net)) if (ArrayBuffer.isView(v)) arrayBytes += v.byteLength;
console.log(
  JSON.stringify({
    arrayKB: arrayBytes / 1024,
    vertices: net.vertexCount,
    arcs: net.arcCount,
    rssBeforeMB: before.rss / MB,
    rssAfterMB: after.rss / MB,
    heapDeltaMB: (after.heapUsed - before.heapUsed) / MB,
    peakRssMB,
    compileMs: runs > 0 ? median(samples) : firstCompileMs,
    firstCompileMs,
    runs,
    ...(enlarged ? { enlarged } : {}),
  }),
);
