/**
 * Flow decomposition for a single-origin (or single-destination) solution: splits arc flows into
 * paths, one OD at a time, so network-simplex answers list their routes like column generation's.
 * @see R.K. Ahuja, T.L. Magnanti, J.B. Orlin, Network Flows (1993), §3.5 (flow decomposition).
 */
import type { FlowGraph } from './problem.js';

/** Paths from `origin` to each destination carrying `served[i]`; consumes a copy of `arcFlow`. */
export function decomposePaths(
  g: FlowGraph,
  arcFlow: Float64Array,
  origin: number,
  destinations: readonly number[],
  served: readonly number[],
): { od: number; arcs: Uint32Array; flow: number }[] {
  const rest = Float64Array.from(arcFlow);
  const out: { od: number; arcs: Uint32Array; flow: number }[] = [];
  const eps = 1e-9;
  const visited = new Int32Array(g.nodeCount).fill(-1);
  let stamp = 0;
  destinations.forEach((dest, i) => {
    let need = served[i]!;
    while (need > eps * Math.max(1, served[i]!)) {
      // DFS along arcs with remaining flow.
      stamp++;
      const stackNode: number[] = [origin];
      const stackArc: number[] = [];
      const next: number[] = [g.start[origin]!];
      visited[origin] = stamp;
      let found = false;
      while (stackNode.length > 0) {
        const v = stackNode[stackNode.length - 1]!;
        if (v === dest) {
          found = true;
          break;
        }
        let e = next[next.length - 1]!;
        const end = g.start[v + 1]!;
        while (e < end && (rest[e]! <= eps || visited[g.target[e]!] === stamp)) e++;
        if (e >= end) {
          stackNode.pop();
          stackArc.pop();
          next.pop();
          continue;
        }
        next[next.length - 1] = e + 1;
        const w = g.target[e]!;
        visited[w] = stamp;
        stackNode.push(w);
        stackArc.push(e);
        next.push(g.start[w]!);
      }
      if (!found) break;
      let f = need;
      for (const e of stackArc) f = Math.min(f, rest[e]!);
      for (const e of stackArc) rest[e]! -= f;
      need -= f;
      out.push({ od: i, arcs: Uint32Array.from(stackArc), flow: f });
    }
  });
  return out;
}
