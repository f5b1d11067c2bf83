/** What a map tooltip says about a location, link or sea passage: figures with their sources. */
import type { Cited, LinkFeature, LocationFeature, Network, PassageFeature } from '../api/types';
import { h } from '../dom';
import { countryName, hours, int, km, usd } from '../format';

const KIND_LABEL: Record<string, string> = {
  city: 'city',
  'rail-terminal': 'rail terminal',
  seaport: 'seaport',
  'dry-port': 'dry port',
  'border-crossing': 'border crossing',
  'gauge-change': 'gauge change',
  junction: 'junction',
};
const TRANSFER_LABEL: Record<string, string> = {
  border: 'Border',
  'gauge-change': 'Gauge change',
  handling: 'Handling',
};
const STATUS_LABEL: Record<string, string> = {
  operational: 'operational',
  'under-construction': 'under construction',
  planned: 'planned',
  proposed: 'proposed',
};

function provenance(c: Cited | undefined, sources: Network['sources']): string {
  if (!c) return '';
  if (c.source) {
    const s = sources[c.source];
    return `source: ${s ? `${s.title} (${s.publisher}, ${s.date})` : c.source}`;
  }
  if (c.assumption) return `assumption: ${c.assumption.length > 140 ? `${c.assumption.slice(0, 139)}…` : c.assumption}`;
  return '';
}

function row(label: string, value: string, cited: Cited | undefined, sources: Network['sources']) {
  const why = provenance(cited, sources);
  return h(
    'div',
    { class: 'tip-row' },
    h('dt', {}, label),
    h('dd', {}, value, why ? h('span', { class: 'tip-src' }, why) : null),
  );
}

export function locationContent(f: LocationFeature, sources: Network['sources']): HTMLElement {
  const p = f.properties;
  return h(
    'div',
    { class: 'tip' },
    h('div', { class: 'tip-title' }, p.name, ' ', h('span', { class: 'tip-code' }, p.id)),
    h('div', { class: 'tip-sub' }, `${countryName(p.country)} · ${p.kinds.map((k) => KIND_LABEL[k] ?? k).join(', ')}`),
    p.transfers.length
      ? h(
          'dl',
          {},
          p.transfers.map((t) => {
            const dwell = t.cited.find((c) => c.field === 'durationH');
            const cap = t.cited.find((c) => c.field === 'capacityPerDay');
            return [
              row(
                `${TRANSFER_LABEL[t.kind] ?? t.kind} dwell`,
                `${hours(t.durationH.typical)} typical (${hours(t.durationH.min)} – ${hours(t.durationH.max)})`,
                dwell,
                sources,
              ),
              row(
                `${TRANSFER_LABEL[t.kind] ?? t.kind} cost`,
                `${usd(t.costUsdPerTeu)} per TEU`,
                t.cited.find((c) => c.field === 'costUsdPerTeu'),
                sources,
              ),
              t.capacityPerDay
                ? row('Capacity', `${int(t.capacityPerDay.value)} ${t.capacityPerDay.unit} per day`, cap, sources)
                : null,
            ];
          }),
        )
      : h('p', { class: 'tip-note' }, 'No border, gauge-change or handling step recorded here.'),
  );
}

export function linkContent(f: LinkFeature, sources: Network['sources']): HTMLElement {
  const p = f.properties;
  const cited = (field: string) => p.cited.find((c) => c.field === field);
  const mode = p.mode === 'rail' && p.gaugeMm ? `rail ${p.gaugeMm} mm` : p.mode;
  return h(
    'div',
    { class: 'tip' },
    h('div', { class: 'tip-title' }, `${p.fromName} – ${p.toName}`),
    h(
      'div',
      { class: 'tip-sub' },
      `${mode} · ${p.operator} · `,
      h('span', { class: `status status-${p.status}` }, STATUS_LABEL[p.status] ?? p.status),
      p.status !== 'operational'
        ? p.enabled
          ? ' · on in this scenario'
          : p.scenarios.length
            ? ` · switched on by ${p.scenarios.join(', ')}`
            : ''
        : '',
    ),
    h(
      'dl',
      {},
      row('Distance', km(p.distanceKm), cited('distanceKm'), sources),
      row('Running time', hours(p.durationH), cited('durationH') ?? cited('speedKmh'), sources),
      row(
        'Capacity',
        p.capacityPerYear
          ? `${int(p.capacityPerYear.value)} ${p.capacityPerYear.unit} per year, each way`
          : 'not published',
        cited('capacityPerYear'),
        sources,
      ),
      p.passages.length ? row('Passages', p.passages.join(', '), undefined, sources) : null,
      row('Countries', p.countries.map(countryName).join(', '), undefined, sources),
    ),
  );
}

export function passageContent(f: PassageFeature, sources: Network['sources']): HTMLElement {
  const p = f.properties;
  return h(
    'div',
    { class: 'tip' },
    h('div', { class: 'tip-title' }, p.name),
    h('div', { class: 'tip-sub' }, `sea passage · ${p.countries.map(countryName).join(', ')}`),
    p.riskScore !== null
      ? h(
          'dl',
          {},
          row(
            'Risk score',
            String(p.riskScore),
            p.cited.find((c) => c.field === 'riskScore'),
            sources,
          ),
        )
      : null,
  );
}
