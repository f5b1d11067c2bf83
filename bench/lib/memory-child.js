/**
 * Child process for the memory entry: `node --expose-gc memory-child.js DATA_DIR RUNS`.
 * Prints one JSON line with RSS before/after the first compile, the process's peak RSS and
 * the median compile time over RUNS further compiles.
 */
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median } from './stats.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const [dir, runsArg] = process.argv.slice(2);
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
// Let the collector return freed pages to the OS before the "before" reading.
for (let i = 0; i < 3; i++) {
  gc();
  await new Promise((r) => setTimeout(r, 100));
}
const before = process.memoryUsage();
let net = compileNetwork(load.dataset);
const after = process.memoryUsage();
const peakRssMB = process.resourceUsage().maxRSS / 1024;
for (let i = 0; i < 2; i++) net = compileNetwork(load.dataset);
const samples = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  net = compileNetwork(load.dataset);
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
    compileMs: median(samples),
    runs,
  }),
);
