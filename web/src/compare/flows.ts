/**
 * Assignment results side by side: totals with B − A, the bottlenecks (binding capacities with
 * their shadow prices: USD/yr saved per extra TEU/yr), and a Sankey of flows by route.
 */
import type { AssignmentResult } from '../api/extras';
import { h, svg } from '../dom';
import { int, pct, signed, usd, usdShort } from '../format';
import { sankeyLayout, type SankeyFlow } from './sankey';
import { must } from '../invariant';

export function sankeyFlows(r: AssignmentResult, name: (id: string) => string): SankeyFlow[] {
  return r.ods.flatMap((od) =>
    od.routes.map((rt) => ({
      origin: name(od.from),
      route: rt.corridors.join(' + ') || 'direct',
      destination: name(od.to),
      teu: rt.teu,
    })),
  );
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function sankeyChart(flows: SankeyFlow[], title: string): SVGSVGElement {
  const W = 380;
  // Tall enough for the fullest column at ~22 px a node.
  const columns = [
    new Set(flows.map((f) => f.origin)),
    new Set(flows.map((f) => f.route)),
    new Set(flows.map((f) => f.destination)),
  ];
  const H = Math.max(220, 22 * Math.max(...columns.map((c) => c.size)));
  const L = sankeyLayout(flows, W - 180, H, 10, 8);
  const ox = 90;
  const byId = new Map(L.nodes.map((n) => [n.id, n]));
  const band = (l: (typeof L.links)[number]) => {
    const s = must(byId.get(l.source));
    const t = must(byId.get(l.target));
    const x0 = ox + s.x + L.nodeWidth;
    const x1 = ox + t.x;
    const xm = (x0 + x1) / 2;
    return (
      `M${x0},${l.y0}C${xm},${l.y0} ${xm},${l.y1} ` +
      `${x1},${l.y1}L${x1},${l.y1 + l.width}C${xm},${l.y1 + l.width} ${xm},${l.y0 + l.width} ${x0},${l.y0 + l.width}Z`
    );
  };
  return svg(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, class: 'sankey', role: 'img', 'aria-label': title },
    svg('title', {}, title),
    L.links.map((l) =>
      svg(
        'path',
        { d: band(l), class: 'sankey-band' },
        svg(
          'title',
          {},
          `${must(byId.get(l.source)).label} → ${must(byId.get(l.target)).label}: ${int(l.value)} TEU/yr`,
        ),
      ),
    ),
    L.nodes.map((n) =>
      svg(
        'g',
        {},
        svg('rect', {
          x: ox + n.x,
          y: n.y,
          width: L.nodeWidth,
          height: Math.max(1, n.height),
          class: `sankey-node col-${n.column}`,
        }),
        svg(
          'text',
          {
            x: n.column === 0 ? ox + n.x - 4 : n.column === 2 ? ox + n.x + L.nodeWidth + 4 : ox + n.x + L.nodeWidth / 2,
            y: n.column === 1 ? n.y - 3 : n.y + n.height / 2 + 4,
            'text-anchor': n.column === 0 ? 'end' : n.column === 2 ? 'start' : 'middle',
            class: 'sankey-label',
          },
          svg('title', {}, n.label),
          n.column === 1 ? clip(n.label, 30) : clip(n.label, 14),
        ),
      ),
    ),
  );
}

function bottlenecks(r: AssignmentResult, label: string): HTMLElement {
  const binding = r.bottlenecks.filter((b) => b.shadowPrice > 0).sort((a, b) => b.shadowPrice - a.shadowPrice);
  return h(
    'div',
    {},
    h('h4', {}, `Bottlenecks in ${label}`),
    binding.length
      ? h(
          'table',
          { class: 'table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Capacity'),
              h('th', { scope: 'col', class: 'num' }, 'Use'),
              h('th', { scope: 'col', class: 'num' }, 'Shadow price'),
            ),
          ),
          h(
            'tbody',
            {},
            binding.map((b) =>
              h(
                'tr',
                {},
                h('td', {}, b.name),
                h('td', { class: 'num' }, pct(b.utilization)),
                h('td', { class: 'num' }, `${usd(b.shadowPrice)}/TEU`),
              ),
            ),
          ),
        )
      : h('p', { class: 'note' }, 'No capacity binds.'),
  );
}

export function assignmentComparison(
  a: AssignmentResult,
  b: AssignmentResult,
  names: { a: string; b: string },
  placeName: (id: string) => string,
): HTMLElement {
  const row = (what: string, x: number, y: number, fmt: (v: number) => string) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, what),
      h('td', { class: 'num' }, fmt(x)),
      h(
        'td',
        { class: 'num' },
        fmt(y),
        h(
          'span',
          { class: `sub ${y < x - 0.5 ? 'better' : y > x + 0.5 ? 'worse' : ''}` },
          `B − A ${signed(y - x, fmt, 0.5)}`,
        ),
      ),
    );
  const teu = (v: number) => `${int(v)} TEU`;
  return h(
    'div',
    { class: 'flows' },
    h(
      'table',
      { class: 'table flows-totals' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('td', {}),
          h('th', { scope: 'col', class: 'num' }, `A: ${names.a}`),
          h('th', { scope: 'col', class: 'num' }, `B: ${names.b}`),
        ),
      ),
      h(
        'tbody',
        {},
        row('Demand served', a.totals.served, b.totals.served, teu),
        row('Unmet demand', a.totals.unmet, b.totals.unmet, teu),
        row('Generalised cost per year', a.objective, b.objective, usdShort),
      ),
    ),
    bottlenecks(a, names.a),
    bottlenecks(b, names.b),
    h('h4', {}, `Flows by route in ${names.b}`),
    sankeyChart(
      sankeyFlows(b, placeName),
      `Flows by route in ${names.b}: origins, route families, destinations (TEU per year)`,
    ),
  );
}
