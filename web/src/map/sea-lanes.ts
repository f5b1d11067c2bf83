import { nth } from '../invariant.ts';
/**
 * Display geometry for sea and ferry links. The data gives a sea link only its ports and the
 * straits it passes, in order; a straight line between them crosses Indochina, Arabia or Spain.
 * Each stretch between consecutive waypoints is routed over a water grid rasterised from the same
 * Natural Earth land at build time (basemap-plugin.ts): A* with 8 neighbours and great-circle-like
 * step costs, land cells allowed at a high price so that ports and canals (which sit on land at
 * this resolution) still connect; the grid path is then straightened wherever a straight line
 * stays on water. Display only: distances and times come from the data, never from this line.
 * Pure (tested in node).
 * @see P. E. Hart, N. J. Nilsson, B. Raphael (1968), A Formal Basis for the Heuristic
 *   Determination of Minimum Cost Paths, IEEE Trans. SSC 4(2).
 */

export type LonLat = [number, number];

/** A north-up lon/lat grid, one bit per cell: 1 = land (cell centre inside land). */
export interface WaterGrid {
  width: number;
  height: number;
  /** Degrees per cell. */
  cellDeg: number;
  /** Longitude of the grid's west edge and latitude of its north edge. */
  west: number;
  north: number;
  land: Uint8Array;
}

/** Price of a step onto land relative to the same step on water. */
const LAND_FACTOR = 40;
const NO_PARENT = -1;

export const isLand = (g: WaterGrid, i: number): boolean => ((nth(g.land, i >> 3) >> (i & 7)) & 1) === 1;

function cellOf(g: WaterGrid, [lon, lat]: LonLat): number {
  const x = Math.min(g.width - 1, Math.max(0, Math.floor((lon - g.west) / g.cellDeg)));
  const y = Math.min(g.height - 1, Math.max(0, Math.floor((g.north - lat) / g.cellDeg)));
  return y * g.width + x;
}

function centreOf(g: WaterGrid, i: number): LonLat {
  const x = i % g.width;
  const y = (i - x) / g.width;
  return [g.west + (x + 0.5) * g.cellDeg, g.north - (y + 0.5) * g.cellDeg];
}

/** Binary min-heap of cell ids keyed by f-score, kept beside them in a typed array. */
class Heap {
  ids: Int32Array;
  keys: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.ids = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
  }
  push(id: number, key: number): void {
    if (this.size === this.ids.length) {
      const ids = new Int32Array(this.size * 2);
      ids.set(this.ids);
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.ids = ids;
      this.keys = keys;
    }
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (nth(this.keys, p) <= key) break;
      this.ids[i] = nth(this.ids, p);
      this.keys[i] = nth(this.keys, p);
      i = p;
    }
    this.ids[i] = id;
    this.keys[i] = key;
  }
  pop(): number {
    const top = nth(this.ids, 0);
    const lastId = nth(this.ids, --this.size);
    const lastKey = nth(this.keys, this.size);
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && nth(this.keys, c + 1) < nth(this.keys, c)) c++;
      if (nth(this.keys, c) >= lastKey) break;
      this.ids[i] = nth(this.ids, c);
      this.keys[i] = nth(this.keys, c);
      i = c;
    }
    this.ids[i] = lastId;
    this.keys[i] = lastKey;
    return top;
  }
}

/** Per-search state, reused across searches on one grid (reset through the touched list). */
export class SeaRouter {
  private readonly g: Float64Array;
  private readonly parent: Int32Array;
  private readonly closed: Uint8Array;
  private readonly touched: number[] = [];
  private readonly cosLat: Float64Array;

  constructor(readonly grid: WaterGrid) {
    const n = grid.width * grid.height;
    this.g = new Float64Array(n).fill(Infinity);
    this.parent = new Int32Array(n).fill(NO_PARENT);
    this.closed = new Uint8Array(n);
    this.cosLat = new Float64Array(grid.height);
    for (let y = 0; y < grid.height; y++)
      this.cosLat[y] = Math.max(0.05, Math.cos(((grid.north - (y + 0.5) * grid.cellDeg) * Math.PI) / 180));
  }

  private reset(): void {
    for (const i of this.touched) {
      this.g[i] = Infinity;
      this.parent[i] = NO_PARENT;
      this.closed[i] = 0;
    }
    this.touched.length = 0;
  }

  /** Heuristic: the step metric's distance with the smaller of the two rows' cos(lat); admissible. */
  private h(a: number, b: number): number {
    const W = this.grid.width;
    const ax = a % W;
    const ay = (a - ax) / W;
    const bx = b % W;
    const by = (b - bx) / W;
    const c = Math.min(nth(this.cosLat, ay), nth(this.cosLat, by));
    const dx = Math.abs(ax - bx) * c;
    const dy = Math.abs(ay - by);
    return Math.hypot(dx, dy);
  }

  /** Grid cells from `from` to `to` (inclusive), or null when none is found within the budget. */
  private search(from: number, to: number, maxExpanded: number): number[] | null {
    this.reset();
    const { width: W, height: H } = this.grid;
    const heap = new Heap(1024);
    this.g[from] = 0;
    this.touched.push(from);
    heap.push(from, this.h(from, to));
    let expanded = 0;
    while (heap.size > 0) {
      const u = heap.pop();
      if (this.closed[u]) continue;
      if (u === to) break;
      this.closed[u] = 1;
      if (++expanded > maxExpanded) return null;
      const ux = u % W;
      const uy = (u - ux) / W;
      const cu = nth(this.cosLat, uy);
      for (let dy = -1; dy <= 1; dy++) {
        const vy = uy + dy;
        if (vy < 0 || vy >= H) continue;
        const c = (cu + nth(this.cosLat, vy)) / 2;
        for (let dx = -1; dx <= 1; dx++) {
          if (dx === 0 && dy === 0) continue;
          const vx = ux + dx;
          if (vx < 0 || vx >= W) continue;
          const v = vy * W + vx;
          if (this.closed[v]) continue;
          const diagonal = dx !== 0 && dy !== 0;
          const step = diagonal ? Math.hypot(c, 1) : dx !== 0 ? c : 1;
          // A diagonal step past a land corner counts as a step on land (no corner cutting).
          const onLand =
            (isLand(this.grid, v) && v !== to) ||
            (diagonal && (isLand(this.grid, uy * W + vx) || isLand(this.grid, vy * W + ux)));
          const cost = nth(this.g, u) + (onLand ? step * LAND_FACTOR : step);
          if (cost < nth(this.g, v)) {
            if (this.g[v] === Infinity) this.touched.push(v);
            this.g[v] = cost;
            this.parent[v] = u;
            heap.push(v, cost + this.h(v, to));
          }
        }
      }
    }
    if (this.parent[to] === NO_PARENT && from !== to) return null;
    const path: number[] = [];
    for (let i = to; i !== NO_PARENT; i = nth(this.parent, i)) path.push(i);
    return path.reverse();
  }

  /**
   * True when the straight segment between two cell centres touches only water: every cell it
   * passes through (a supercover walk, both neighbours where it runs through a corner).
   * @see J. Amanatides, A. Woo (1987), A Fast Voxel Traversal Algorithm for Ray Tracing, Eurographics.
   */
  private clear(a: number, b: number): boolean {
    const W = this.grid.width;
    let x = a % W;
    let y = (a - x) / W;
    const x1 = b % W;
    const y1 = (b - x1) / W;
    const dx = x1 - x;
    const dy = y1 - y;
    const sx = Math.sign(dx);
    const sy = Math.sign(dy);
    const tdx = dx !== 0 ? 1 / Math.abs(dx) : Infinity;
    const tdy = dy !== 0 ? 1 / Math.abs(dy) : Infinity;
    let tx = tdx / 2;
    let ty = tdy / 2;
    const land = (cx: number, cy: number) => isLand(this.grid, cy * W + cx);
    for (;;) {
      if (land(x, y)) return false;
      if (x === x1 && y === y1) return true;
      if (Math.abs(tx - ty) < 1e-12) {
        if (land(x + sx, y) || land(x, y + sy)) return false;
        x += sx;
        y += sy;
        tx += tdx;
        ty += tdy;
      } else if (tx < ty) {
        x += sx;
        tx += tdx;
      } else {
        y += sy;
        ty += tdy;
      }
    }
  }

  /** String pulling: keeps a cell only where the straight line from the last kept cell would touch land. */
  private straighten(path: number[]): number[] {
    if (path.length <= 2) return path;
    const out = [nth(path, 0)];
    let anchor = 0;
    for (let j = 2; j < path.length; j++) {
      if (!this.clear(nth(path, anchor), nth(path, j))) {
        out.push(nth(path, j - 1));
        anchor = j - 1;
      }
    }
    out.push(nth(path, path.length - 1));
    return out;
  }

  /**
   * A line over water from `a` to `b`, starting and ending exactly at them; the straight segment
   * when both lie in the same open water or no path is found within the budget.
   */
  line(a: LonLat, b: LonLat, maxExpanded = 400_000): LonLat[] {
    const ca = cellOf(this.grid, a);
    const cb = cellOf(this.grid, b);
    if (ca === cb) return [a, b];
    const path = this.search(ca, cb, maxExpanded);
    if (!path) return [a, b];
    const inner = this.straighten(path)
      .slice(1, -1)
      .map((i) => centreOf(this.grid, i));
    return [a, ...inner, b];
  }

  /** Through every waypoint in order (ports and straits). */
  route(waypoints: readonly LonLat[]): LonLat[] {
    const out: LonLat[] = [];
    for (let k = 0; k + 1 < waypoints.length; k++) {
      const seg = this.line(nth(waypoints, k), nth(waypoints, k + 1));
      out.push(...(k === 0 ? seg : seg.slice(1)));
    }
    return out;
  }
}
