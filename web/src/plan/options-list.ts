/** The Pareto options as a list of selectable cards, and the routes left out with the reason. */
import type { Alternative, RouteOption } from '../api/types';
import { h } from '../dom';
import { co2, countryName, days, usd } from '../format';

const LABEL_TEXT: Record<string, string> = {
  fastest: 'fastest',
  cheapest: 'cheapest',
  greenest: 'greenest',
  balanced: 'balanced',
  'most-reliable': 'most reliable',
};

export function labelBadges(labels: readonly string[]): HTMLElement[] {
  return labels.map((l) => h('span', { class: `badge badge-${l}` }, LABEL_TEXT[l] ?? l));
}

export function optionsList(
  options: readonly RouteOption[],
  selected: number | null,
  onSelect: (option: number) => void,
  perContainers = 1,
): HTMLElement {
  return h(
    'ol',
    { class: 'options', 'aria-label': 'Options' },
    options.map((o) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: `option${o.option === selected ? ' selected' : ''}`,
            'aria-pressed': String(o.option === selected),
            'data-option': o.option,
            onclick: () => onSelect(o.option),
          },
          h(
            'span',
            { class: 'option-head' },
            h('span', { class: 'option-no', 'aria-label': `Option ${o.option}` }, String(o.option)),
            h('span', { class: 'kpi kpi-days' }, days(o.totals.durationH)),
            h('span', { class: 'kpi' }, usd(o.totals.costUsd * perContainers)),
            h('span', { class: 'kpi' }, co2(o.totals.co2eKg * perContainers)),
          ),
          h('span', { class: 'option-summary' }, o.summary),
          h(
            'span',
            { class: 'option-meta' },
            labelBadges(o.labels),
            h(
              'span',
              { class: 'countries', title: o.totals.countries.map(countryName).join(', ') },
              o.totals.countries.join(' '),
            ),
            h('span', {}, `${o.totals.borderCrossings} borders · ${o.totals.transshipments} transshipments`),
          ),
        ),
      ),
    ),
  );
}

export function alternativesList(alternatives: readonly Alternative[], perContainers = 1): HTMLElement | null {
  if (!alternatives.length) return null;
  return h(
    'details',
    { class: 'left-out' },
    h('summary', {}, `Left out (${alternatives.length}): excluded by your constraints or dominated`),
    h(
      'ul',
      {},
      alternatives.map((a) =>
        h(
          'li',
          { class: `alt-item alt-${a.kind}` },
          h(
            'span',
            { class: 'alt-kind' },
            a.kind === 'excluded' ? 'excluded' : `dominated${a.dominatedBy ? ` by option ${a.dominatedBy}` : ''}`,
          ),
          h('span', { class: 'alt-summary' }, a.summary),
          h(
            'span',
            { class: 'alt-figures' },
            `${days(a.totals.durationH)} · ` +
              `${usd(a.totals.costUsd * perContainers)} · ${co2(a.totals.co2eKg * perContainers)}`,
          ),
          h('span', { class: 'alt-reason' }, a.reason),
        ),
      ),
    ),
  );
}
