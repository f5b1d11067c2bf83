import { must } from '../invariant.ts';
/**
 * A three-column Sankey layout for assignment flows: origins → route (corridor family) → destinations,
 * each band as wide as its TEU/yr. Pure layout (tested in node); rendering in flows.ts.
 * Nodes in a column are stacked in order of size with a fixed gap; each link takes its slice of
 * its source's outflow and its target's inflow in the same order, so bands do not cross needlessly.
 */

export interface SankeyFlow {
  origin: string;
  route: string;
  destination: string;
  teu: number;
}

export interface SankeyNode {
  id: string;
  label: string;
  column: 0 | 1 | 2;
  value: number;
  x: number;
  y: number;
  height: number;
}

export interface SankeyLink {
  source: string;
  target: string;
  value: number;
  /** Top of the band at its source and at its target; the band is `width` tall. */
  y0: number;
  y1: number;
  width: number;
}

export interface SankeyLayout {
  nodes: SankeyNode[];
  links: SankeyLink[];
  width: number;
  height: number;
  nodeWidth: number;
}

export function sankeyLayout(
  flows: readonly SankeyFlow[],
  width: number,
  height: number,
  nodeWidth = 10,
  gap = 8,
): SankeyLayout {
  const nodes = new Map<string, SankeyNode>();
  const linkValues = new Map<string, number>();
  const node = (column: 0 | 1 | 2, label: string) => {
    const id = `${column}:${label}`;
    if (!nodes.has(id)) nodes.set(id, { id, label, column, value: 0, x: 0, y: 0, height: 0 });
    return id;
  };
  for (const f of flows) {
    if (!(f.teu > 0)) continue;
    const o = node(0, f.origin);
    const r = node(1, f.route);
    const d = node(2, f.destination);
    linkValues.set(`${o}|${r}`, (linkValues.get(`${o}|${r}`) ?? 0) + f.teu);
    linkValues.set(`${r}|${d}`, (linkValues.get(`${r}|${d}`) ?? 0) + f.teu);
  }
  const links = [...linkValues].map(([k, value]) => {
    const [source, target] = k.split('|') as [string, string];
    return { source, target, value, y0: 0, y1: 0, width: 0 };
  });
  for (const n of nodes.values()) {
    const into = links.filter((l) => l.target === n.id).reduce((s, l) => s + l.value, 0);
    const out = links.filter((l) => l.source === n.id).reduce((s, l) => s + l.value, 0);
    n.value = Math.max(into, out);
  }
  const columns = ([0, 1, 2] as const).map((c) =>
    [...nodes.values()]
      .filter((n) => n.column === c)
      .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label)),
  );
  // One scale for all columns: the fullest column (values plus gaps) fills the height.
  const scale = Math.min(
    ...columns
      .filter((c) => c.length)
      .map(
        (c) =>
          (height - gap * (c.length - 1)) /
          Math.max(
            1e-9,
            c.reduce((s, n) => s + n.value, 0),
          ),
      ),
  );
  columns.forEach((col, c) => {
    const total = col.reduce((s, n) => s + n.value * scale, 0) + gap * Math.max(0, col.length - 1);
    let y = (height - total) / 2;
    for (const n of col) {
      n.x = c === 0 ? 0 : c === 1 ? (width - nodeWidth) / 2 : width - nodeWidth;
      n.y = y;
      n.height = n.value * scale;
      y += n.height + gap;
    }
  });
  const order = new Map([...nodes.values()].map((n) => [n.id, n.y]));
  const outOffset = new Map<string, number>();
  const inOffset = new Map<string, number>();
  for (const l of [...links].sort((p, q) => must(order.get(p.target)) - must(order.get(q.target)))) {
    const s = must(nodes.get(l.source));
    l.width = l.value * scale;
    l.y0 = s.y + (outOffset.get(s.id) ?? 0);
    outOffset.set(s.id, (outOffset.get(s.id) ?? 0) + l.width);
  }
  for (const l of [...links].sort((p, q) => must(order.get(p.source)) - must(order.get(q.source)))) {
    const t = must(nodes.get(l.target));
    l.y1 = t.y + (inOffset.get(t.id) ?? 0);
    inOffset.set(t.id, (inOffset.get(t.id) ?? 0) + l.width);
  }
  return { nodes: [...nodes.values()], links, width, height, nodeWidth };
}
