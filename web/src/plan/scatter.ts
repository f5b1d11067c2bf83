/**
 * The options as a scatter chart: duration (days) across, cost (USD) up, CO2e as colour.
 * Pareto options are filled and numbered; dominated alternatives are hollow, excluded ones are
 * crosses, so the trade-off and what was left out read at a glance. Points are buttons.
 */
import type { Alternative, RouteOption } from '../api/types';
import { linearScale } from '../chart/scale';
import { h, svg, uniqueId } from '../dom';
import { co2, days, int, usd } from '../format';
import { rampColor } from '../map/colors';

const W = 380;
const H = 230;
const M = { top: 14, right: 14, bottom: 40, left: 62 };

export function scatterChart(
  options: readonly RouteOption[],
  alternatives: readonly Alternative[],
  selected: number | null,
  onSelect: (option: number) => void,
  perContainers = 1,
): HTMLElement {
  const all = [...options.map((o) => o.totals), ...alternatives.map((a) => a.totals)];
  const x = linearScale(
    all.map((t) => t.durationH / 24),
    [M.left, W - M.right],
  );
  const y = linearScale(
    all.map((t) => t.costUsd * perContainers),
    [H - M.bottom, M.top],
  );
  const co2s = options.map((o) => o.totals.co2eKg);
  const cMin = Math.min(...co2s);
  const cMax = Math.max(...co2s);
  const colorOf = (kg: number) => rampColor(cMax > cMin ? (kg - cMin) / (cMax - cMin) : 0.5);
  const titleId = uniqueId('chart-title');
  const descId = uniqueId('chart-desc');

  const grid = [
    ...x.ticks.map((t) => svg('line', { x1: x(t), x2: x(t), y1: M.top, y2: H - M.bottom, class: 'grid' })),
    ...y.ticks.map((t) => svg('line', { x1: M.left, x2: W - M.right, y1: y(t), y2: y(t), class: 'grid' })),
  ];
  const axes = [
    ...x.ticks.map((t) =>
      svg('text', { x: x(t), y: H - M.bottom + 15, class: 'tick', 'text-anchor': 'middle' }, int(t)),
    ),
    ...y.ticks.map((t) =>
      svg(
        'text',
        { x: M.left - 6, y: y(t) + 4, class: 'tick', 'text-anchor': 'end' },
        t >= 10_000 ? `${int(t / 1000)}k` : int(t),
      ),
    ),
    svg(
      'text',
      { x: (M.left + W - M.right) / 2, y: H - 6, class: 'axis-label', 'text-anchor': 'middle' },
      'Duration (days)',
    ),
    svg(
      'text',
      {
        x: 12,
        y: (M.top + H - M.bottom) / 2,
        class: 'axis-label',
        'text-anchor': 'middle',
        transform: `rotate(-90 12 ${(M.top + H - M.bottom) / 2})`,
      },
      perContainers > 1 ? `Cost, ${perContainers} containers (USD)` : 'Cost per container (USD)',
    ),
  ];
  const alts = alternatives.map((a) => {
    const cx = x(a.totals.durationH / 24);
    const cy = y(a.totals.costUsd * perContainers);
    const label =
      `${a.kind === 'excluded' ? 'Excluded' : 'Dominated'}: ${a.summary}, ${days(a.totals.durationH)}, ` +
      `${usd(a.totals.costUsd * perContainers)} — ${a.reason}`;
    return a.kind === 'excluded'
      ? svg(
          'g',
          { class: 'alt excluded' },
          svg('title', {}, label),
          svg('path', { d: `M${cx - 4},${cy - 4}L${cx + 4},${cy + 4}M${cx - 4},${cy + 4}L${cx + 4},${cy - 4}` }),
        )
      : svg('g', { class: 'alt dominated' }, svg('title', {}, label), svg('circle', { cx, cy, r: 4.5 }));
  });
  const points = options.map((o) => {
    const cx = x(o.totals.durationH / 24);
    const cy = y(o.totals.costUsd * perContainers);
    const label =
      `Option ${o.option}: ${days(o.totals.durationH)}, ` +
      `${usd(o.totals.costUsd * perContainers)}, ` +
      `${co2(o.totals.co2eKg * perContainers)}${o.labels.length ? ` (${o.labels.join(', ')})` : ''}`;
    const g = svg(
      'g',
      {
        class: `point${o.option === selected ? ' selected' : ''}`,
        tabindex: 0,
        role: 'button',
        'aria-label': label,
        'aria-pressed': String(o.option === selected),
        'data-option': o.option,
      },
      svg('title', {}, label),
      svg('circle', { cx, cy, r: 10, fill: colorOf(o.totals.co2eKg) }),
      svg('text', { x: cx, y: cy + 4, 'text-anchor': 'middle', class: 'point-label' }, String(o.option)),
    );
    g.addEventListener('click', () => onSelect(o.option));
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onSelect(o.option);
      }
    });
    return g;
  });

  const chart = svg(
    'svg',
    {
      viewBox: `0 0 ${W} ${H}`,
      class: 'scatter',
      role: 'group',
      'aria-labelledby': titleId,
      'aria-describedby': descId,
    },
    svg('title', { id: titleId }, 'Options: duration against cost, CO2e as colour'),
    svg('desc', { id: descId }, `${options.length} Pareto-optimal options and ${alternatives.length} routes left out.`),
    grid,
    axes,
    alts,
    points,
  );
  const legend = h(
    'div',
    { class: 'chart-legend' },
    h('span', { class: 'ramp', 'aria-hidden': 'true' }),
    h('span', {}, `CO2e ${co2(cMin * perContainers)} → ${co2(cMax * perContainers)}`),
    alternatives.some((a) => a.kind === 'dominated')
      ? h('span', { class: 'key' }, h('span', { class: 'key-dominated', 'aria-hidden': 'true' }), 'dominated')
      : null,
    alternatives.some((a) => a.kind === 'excluded')
      ? h('span', { class: 'key' }, h('span', { class: 'key-excluded', 'aria-hidden': 'true' }, '×'), 'excluded')
      : null,
  );
  return h('figure', { class: 'chart' }, chart, legend);
}
