/**
 * Routing speed on the default dataset and on the dense-network overlay (issue #13 §3), side by side:
 * `npm run build && node bench/dense.js`. A seeded sample of 400 ordered pairs per dataset, findRoutes
 * with explanations off and on; p50/p99 in ms. No peers; see docs/benchmarks.md.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeDenseDataset } from '../bin/dense-dataset.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const { loadDataset } = await import(join(HERE, '..', 'dist', 'data', 'load.js'));
const { compileNetwork } = await import(join(HERE, '..', 'dist', 'network', 'compile.js'));
const { findRoutes } = await import(join(HERE, '..', 'dist', 'routing', 'route.js'));

const PAIRS = 400;
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)] ?? Number.NaN;

function run(label, dir) {
  const { dataset } = loadDataset(dir);
  const t0 = performance.now();
  const net = compileNetwork(dataset);
  const compileMs = performance.now() - t0;
  const ids = dataset.locations.map((l) => l.id);
  let seed = 1;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pairs = [];
  while (pairs.length < PAIRS) {
    const a = ids[Math.floor(rnd() * ids.length)];
    const b = ids[Math.floor(rnd() * ids.length)];
    if (a !== b) pairs.push([a, b]);
  }
  for (const explain of [false, true]) {
    const route = (from, to) => {
      try {
        return findRoutes(net, { from, to, explain }).options.length;
      } catch {
        return 0; // no route between the pair (a place reached only by planned links)
      }
    };
    for (const [from, to] of pairs.slice(0, 40)) route(from, to);
    const ms = [];
    let options = 0;
    for (const [from, to] of pairs) {
      const t = performance.now();
      options += route(from, to);
      ms.push(performance.now() - t);
    }
    console.log(
      `${label}: ${ids.length} places, ${net.vertexCount} vertices, ${net.arcCount} arcs, compiled in ` +
        `${compileMs.toFixed(0)} ms; explain ${explain ? 'on ' : 'off'}: p50 ${quantile(ms, 0.5).toFixed(2)} ms, ` +
        `p99 ${quantile(ms, 0.99).toFixed(2)} ms, ${(options / PAIRS).toFixed(1)} options a query`,
    );
  }
}

run('default', join(HERE, '..', 'data'));
run('dense', composeDenseDataset(mkdtempSync(join(tmpdir(), 'corridor-dense-'))));
