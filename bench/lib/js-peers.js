/**
 * The JavaScript peers: graphology-shortest-path and ngraph.path, each on its own graph object
 * built from the same CSR arrays (built once, outside the timed region).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * @typedef {import('./graphs.js').BenchGraph} BenchGraph
 * @typedef {{available: true, version: string} | {available: false, why: string, install: string}} Availability
 */

/** @param {string} pkg */
function versionOf(pkg) {
  // Some of these packages do not export ./package.json: find it from the resolved entry point.
  let dir;
  try {
    dir = dirname(require.resolve(pkg));
  } catch {
    return undefined;
  }
  for (; dir !== dirname(dir); dir = dirname(dir)) {
    const f = join(dir, 'package.json');
    if (!existsSync(f)) continue;
    const json = JSON.parse(readFileSync(f, 'utf8'));
    if (json.name === pkg) return json.version;
  }
  return undefined;
}

/**
 * graphology: a DirectedGraph with string keys "0".."n-1" and a `weight` attribute per edge;
 * the query is `dijkstra.singleSource(graph, source, 'weight')`, the library's one-to-all weighted
 * search. It returns every shortest path as an array of node keys.
 */
export async function graphologyPeer() {
  const version = versionOf('graphology-shortest-path');
  const gv = versionOf('graphology');
  if (!version || !gv) {
    return {
      available: false,
      why: 'graphology / graphology-shortest-path not installed',
      install: 'npm install (they are devDependencies)',
    };
  }
  const { DirectedGraph } = require('graphology');
  const { dijkstra } = require('graphology-shortest-path');
  return {
    available: true,
    version: `graphology ${gv}, graphology-shortest-path ${version}`,
    /** @param {BenchGraph} bg */
    prepare(bg) {
      const { csr, weight } = bg;
      const g = new DirectedGraph({ allowSelfLoops: false });
      for (let v = 0; v < csr.vertexCount; v++) g.addNode(String(v));
      for (let u = 0; u < csr.vertexCount; u++) {
        for (let e = csr.start[u]; e < csr.start[u + 1]; e++) {
          g.addDirectedEdge(String(u), String(csr.target[e]), { weight: weight[e] });
        }
      }
      const src = String(bg.source);
      /** @type {Record<string, string[]>} */
      let last = {};
      return {
        query() {
          last = dijkstra.singleSource(g, src, 'weight');
        },
        /** Distances of the last query: the paths form a tree, so len(v) = len(parent) + w(parent, v). */
        distances() {
          const n = csr.vertexCount;
          const dist = new Float64Array(n).fill(Infinity);
          const done = new Uint8Array(n);
          const stack = [];
          const lengthOf = (v) => {
            // Iterative walk up the tree until a vertex with a known length.
            let x = v;
            while (!done[x]) {
              stack.push(x);
              const p = last[String(x)];
              if (p === undefined) {
                dist[x] = Infinity;
                done[x] = 1;
                stack.pop();
                break;
              }
              if (p.length === 1) {
                dist[x] = 0;
                done[x] = 1;
                stack.pop();
                break;
              }
              x = Number(p[p.length - 2]);
            }
            while (stack.length > 0) {
              const y = stack.pop();
              const p = last[String(y)];
              const parent = Number(p[p.length - 2]);
              dist[y] = dist[parent] + g.getEdgeAttribute(g.edge(String(parent), String(y)), 'weight');
              done[y] = 1;
            }
            return dist[v];
          };
          for (let v = 0; v < n; v++) lengthOf(v);
          return dist;
        },
      };
    },
  };
}

/**
 * ngraph.path is one-to-one (A*, NBA*): `aStar(graph, {oriented: true, distance: w})` with its
 * default heuristic (0, so A* is plain Dijkstra) from the source to the vertex farthest from it
 * (by our distances), which makes it settle essentially every vertex, like one-to-all.
 */
export async function ngraphPeer() {
  const version = versionOf('ngraph.path');
  const gv = versionOf('ngraph.graph');
  if (!version || !gv) {
    return {
      available: false,
      why: 'ngraph.graph / ngraph.path not installed',
      install: 'npm install (they are devDependencies)',
    };
  }
  const createGraph = (await import('ngraph.graph')).default;
  const path = await import('ngraph.path');
  return {
    available: true,
    version: `ngraph.graph ${gv}, ngraph.path ${version}`,
    /**
     * @param {BenchGraph} bg
     * @param {number} farthest target vertex
     */
    prepare(bg, farthest) {
      const { csr, weight } = bg;
      const g = createGraph({ multigraph: false });
      for (let v = 0; v < csr.vertexCount; v++) g.addNode(v);
      for (let u = 0; u < csr.vertexCount; u++) {
        for (let e = csr.start[u]; e < csr.start[u + 1]; e++) g.addLink(u, csr.target[e], weight[e]);
      }
      const finder = path.aStar(g, { oriented: true, distance: (_a, _b, link) => link.data });
      /** @type {any[]} */
      let last = [];
      return {
        query() {
          last = finder.find(bg.source, farthest);
        },
        /** Length of the last path found (nodes come back target-first). */
        pathLength() {
          if (last.length === 0) return Infinity;
          let len = 0;
          for (let i = last.length - 1; i > 0; i--) len += g.getLink(last[i].id, last[i - 1].id).data;
          return len;
        },
        firstAndLast() {
          return last.length === 0 ? [] : [last[last.length - 1].id, last[0].id];
        },
      };
    },
  };
}
