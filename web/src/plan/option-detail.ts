/**
 * One option in full: headline figures, timing (departures and P50/P90 arrival when the server
 * plans timed itineraries), the legs and stops in travel order, countries and passages crossed,
 * the cost (itemised quote when served, else the route search's cost by leg and stop) and the
 * emissions per leg (ISO 14083 footprint when served, else the route search's per-leg CO2e).
 */
import type { Emissions, Itinerary, Quote } from '../api/extras';
import type { Leg, RouteOption, Stop } from '../api/types';
import { h } from '../dom';
import { addHoursToDate, co2, countryName, days, hours, int, km, localDateTime, usd } from '../format';
import { MODE_COLORS } from '../map/colors';
import { labelBadges } from './options-list';

export interface OptionExtras {
  itinerary: Itinerary | null;
  /** Why there is no itinerary, in words (when `itinerary` is null). */
  timingNote: string;
  quote: Quote | null;
  emissions: Emissions | null;
  /** What the quote and footprint price, e.g. "3 × 40' containers". */
  pricedFor: string;
  /** Why there is no itemised quote / footprint (when null). */
  pricingNote: string;
  /** Books the itinerary (its routing reference), when the server takes bookings. */
  book: ((routingReference: string) => void) | null;
}

const EVENT_LABEL: Record<string, string> = { border: 'border', 'gauge-change': 'gauge change', handling: 'handling' };

function kpi(label: string, value: string, sub?: string) {
  return h(
    'div',
    { class: 'kpi-box' },
    h('span', { class: 'kpi-label' }, label),
    h('span', { class: 'kpi-value' }, value),
    sub ? h('span', { class: 'kpi-sub' }, sub) : null,
  );
}

function modeChip(leg: { mode: string; gaugeMm?: number | undefined }) {
  return h(
    'span',
    { class: 'mode-chip', style: `--mode: ${MODE_COLORS[leg.mode] ?? '#555'}` },
    leg.mode === 'rail' && leg.gaugeMm ? `rail ${leg.gaugeMm}` : leg.mode,
  );
}

function timing(o: RouteOption, x: OptionExtras, ready: string): HTMLElement {
  const it = x.itinerary;
  if (it) {
    return h(
      'section',
      { class: 'detail-section', 'aria-labelledby': 'timing-h' },
      h('h3', { id: 'timing-h' }, 'Departure and arrival'),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Departs'),
        h('dd', {}, localDateTime(it.departure)),
        h('dt', {}, 'Planned arrival'),
        h('dd', {}, localDateTime(it.plannedArrival)),
        h('dt', {}, 'Arrival P50'),
        h('dd', {}, it.arrival.p50 ? localDateTime(it.arrival.p50) : 'not reached by half of the samples'),
        h('dt', {}, 'Arrival P90'),
        h('dd', {}, it.arrival.p90 ? localDateTime(it.arrival.p90) : 'not reached by 90 % of the samples'),
        it.totals.waitingH !== undefined
          ? [h('dt', {}, 'Waiting for departures'), h('dd', {}, hours(it.totals.waitingH))]
          : null,
      ),
      it.arrival.samples
        ? h(
            'p',
            { class: 'note' },
            `P50/P90 from ${int(it.arrival.samples)} Monte Carlo samples of dwell and delays${precision(it)}.`,
          )
        : null,
      it.routingReference && x.book
        ? h(
            'p',
            { class: 'book' },
            h(
              'button',
              {
                type: 'button',
                class: 'primary',
                'data-routing': it.routingReference,
                onclick: () => x.book?.(it.routingReference ?? ''),
              },
              'Book',
            ),
            h(
              'span',
              { class: 'note' },
              ' holds a slot on every leg with a published capacity (the others on request) until its ' +
                "operators confirm; needs a shipper's API key.",
            ),
          )
        : null,
    );
  }
  return h(
    'section',
    { class: 'detail-section', 'aria-labelledby': 'timing-h' },
    h('h3', { id: 'timing-h' }, 'Departure and arrival'),
    ready
      ? h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'Ready'),
          h('dd', {}, ready),
          h('dt', {}, 'Nominal arrival'),
          h(
            'dd',
            {},
            `${addHoursToDate(ready, o.totals.durationH)} (ready date + ${days(o.totals.durationH)}; no timetable)`,
          ),
        )
      : null,
    h('p', { class: 'note' }, x.timingNote),
  );
}

function legRow(leg: Leg, i: number, x: OptionExtras) {
  const itLeg = x.itinerary?.legs.find((l) => l.linkIds.includes(leg.linkId));
  const em = x.emissions?.legs.find((l) => l.legIndex === i);
  return h(
    'li',
    { class: 'leg' },
    h('div', { class: 'leg-head' }, modeChip(leg), h('strong', {}, `${leg.fromName} → ${leg.toName}`)),
    h(
      'div',
      { class: 'leg-figures' },
      `${km(leg.distanceKm)} · ${hours(leg.durationH)} · ${usd(leg.costUsd)} · ${co2(em ? em.wtwKgCo2e : leg.co2eKg)}`,
      leg.countries.length > 1 || leg.passages.length
        ? h('span', { class: 'leg-cross' }, ` · ${[...leg.countries, ...leg.passages].join(', ')}`)
        : null,
    ),
    itLeg && itLeg.linkIds[0] === leg.linkId
      ? h(
          'div',
          { class: 'leg-times' },
          `Departs ${localDateTime(itLeg.departure)} · ` +
            `arrives ${itLeg.to === leg.to ? '' : `${itLeg.toName} `}` +
            `${localDateTime(itLeg.arrival)}`,
          itLeg.service
            ? ` · ${itLeg.service.name}${itLeg.service.operator ? ` (${itLeg.service.operator})` : ''}`
            : ' · no published service (continuous)',
          itLeg.waitH > 0 ? ` · waits ${hours(itLeg.waitH)} for it` : '',
        )
      : itLeg
        ? h('div', { class: 'leg-times' }, `On the same ${itLeg.service ? 'service' : 'movement'} to ${itLeg.toName}`)
        : h('div', { class: 'leg-operator' }, leg.operator),
  );
}

function stopRow(s: Stop) {
  return h(
    'li',
    { class: 'stop' },
    h('span', { class: 'stop-dot', 'aria-hidden': 'true' }),
    h('strong', {}, s.name),
    ` — ${s.events.map((e) => EVENT_LABEL[e] ?? e).join(' + ')}${s.change ? ` (${s.change})` : ''} · ` +
      `${hours(s.durationH)} · ${usd(s.costUsd)}`,
  );
}

function route(o: RouteOption, x: OptionExtras): HTMLElement {
  const items: HTMLElement[] = [];
  o.legs.forEach((leg, i) => {
    items.push(legRow(leg, i, x));
    for (const s of o.stops.filter((st) => st.afterLeg === i)) items.push(stopRow(s));
  });
  return h(
    'section',
    { class: 'detail-section', 'aria-labelledby': 'route-h' },
    h('h3', { id: 'route-h' }, `Route: ${o.legs.length} legs, ${o.stops.length} stops`),
    h('ol', { class: 'timeline' }, items),
  );
}

function crossings(o: RouteOption): HTMLElement {
  return h(
    'section',
    { class: 'detail-section', 'aria-labelledby': 'cross-h' },
    h('h3', { id: 'cross-h' }, 'Countries and passages crossed'),
    h(
      'ul',
      { class: 'tags' },
      o.totals.countries.map((c) =>
        h('li', { class: 'tag' }, `${countryName(c)} `, h('span', { class: 'chip-code' }, c)),
      ),
    ),
    o.totals.passages.length
      ? h(
          'p',
          {},
          `Sea passages: ${o.totals.passages.join(', ')}` +
            (o.totals.passageCountries.length
              ? ` (coastal states ${o.totals.passageCountries.map(countryName).join(', ')})`
              : ''),
        )
      : h('p', { class: 'note' }, 'No sea passage (strait or canal).'),
    h(
      'p',
      { class: 'note' },
      `${o.totals.borderCrossings} border crossings · ${o.totals.transshipments} transshipments · ` +
        `${o.totals.gaugeChanges} gauge changes`,
    ),
  );
}

function cost(o: RouteOption, x: OptionExtras): HTMLElement {
  const q = x.quote;
  if (q) {
    return h(
      'section',
      { class: 'detail-section', 'aria-labelledby': 'cost-h' },
      h('h3', { id: 'cost-h' }, `Itemised quote: ${usd(q.totalUsd)}`),
      h(
        'p',
        { class: 'note' },
        `For ` +
          `${x.pricedFor}${q.tariffSet ? `; tariff set ${q.tariffSet.title}` : ''}` +
          `${q.date ? `, priced for ${q.date}` : ''}. ` +
          `Each item gives its source or the assumption behind it.`,
      ),
      h(
        'table',
        { class: 'table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Item'),
            h('th', { scope: 'col', class: 'num' }, 'USD'),
            h('th', { scope: 'col' }, 'Basis'),
          ),
        ),
        h(
          'tbody',
          {},
          q.items.map((it) =>
            h(
              'tr',
              {},
              h('td', {}, it.description, it.calculation ? h('span', { class: 'sub' }, it.calculation) : null),
              h('td', { class: 'num' }, int(it.amountUsd)),
              h(
                'td',
                { class: 'src' },
                it.source
                  ? `source: ${it.source}${it.ref ? ` (${it.ref})` : ''}`
                  : it.assumption
                    ? `assumption: ${it.assumption}`
                    : '',
              ),
            ),
          ),
        ),
      ),
    );
  }
  const rows = [
    ...o.legs.map((l, i) => ({ what: `${l.fromName} → ${l.toName} (${l.mode})`, usd: l.costUsd, order: i * 2 })),
    ...o.stops.map((s) => ({
      what: `${s.name}: ${s.events.map((e) => EVENT_LABEL[e] ?? e).join(' + ')}`,
      usd: s.costUsd,
      order: s.afterLeg * 2 + 1,
    })),
  ].sort((a, b) => a.order - b.order);
  return h(
    'section',
    { class: 'detail-section', 'aria-labelledby': 'cost-h' },
    h('h3', { id: 'cost-h' }, `Cost by leg and stop: ${usd(o.totals.costUsd)} per container`),
    h(
      'table',
      { class: 'table' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', { scope: 'col' }, 'Leg or stop'), h('th', { scope: 'col', class: 'num' }, 'USD')),
      ),
      h(
        'tbody',
        {},
        rows.map((r) => h('tr', {}, h('td', {}, r.what), h('td', { class: 'num' }, int(r.usd)))),
      ),
    ),
    h('p', { class: 'note' }, x.pricingNote),
  );
}

function emissions(o: RouteOption, x: OptionExtras): HTMLElement {
  const e = x.emissions;
  const rows = e
    ? e.legs.map((l) => ({
        leg: o.legs[l.legIndex],
        kg: l.wtwKgCo2e,
        ttw: l.ttwKgCo2e as number | null,
        what: l.vehicle ?? '',
      }))
    : o.legs.map((l) => ({ leg: l, kg: l.co2eKg, ttw: null as number | null, what: '' }));
  const max = Math.max(1, ...rows.map((r) => r.kg));
  return h(
    'section',
    { class: 'detail-section', 'aria-labelledby': 'em-h' },
    h('h3', { id: 'em-h' }, `Emissions per leg: ${co2(e ? e.wtwKgCo2e : o.totals.co2eKg)}${e ? ' well-to-wheel' : ''}`),
    h(
      'ul',
      { class: 'bars' },
      rows.map((r) =>
        h(
          'li',
          {},
          h(
            'span',
            { class: 'bar-label' },
            r.leg ? `${r.leg.fromName} → ${r.leg.toName}` : '?',
            r.what ? h('span', { class: 'sub' }, r.what) : null,
          ),
          h('span', {
            class: 'bar',
            style: `--w: ${((r.kg / max) * 100).toFixed(1)}%; --mode: ${MODE_COLORS[r.leg?.mode ?? ''] ?? '#555'}`,
            'aria-hidden': 'true',
          }),
          h(
            'span',
            { class: 'bar-value' },
            co2(r.kg),
            r.ttw !== null ? h('span', { class: 'sub' }, `TTW ${co2(r.ttw)}`) : null,
          ),
        ),
      ),
    ),
    e?.hubs?.length
      ? h('p', { class: 'note' }, `Plus hubs: ${e.hubs.map((hb) => `${hb.node} ${co2(hb.wtwKgCo2e)}`).join(', ')}.`)
      : null,
    h(
      'p',
      { class: 'note' },
      e
        ? `${e.method ?? 'ISO 14083'} footprint of ${x.pricedFor}, well-to-wheel per leg (tank-to-wheel beside it).`
        : `Well-to-wheel CO2e of the route search, per 40' container, from the mode emission factors in ` +
            `rates.yaml. ${x.pricingNote}`,
    ),
  );
}

export function optionDetail(
  o: RouteOption,
  x: OptionExtras,
  ready: string,
  containers: number,
  onClose: () => void,
): HTMLElement {
  const close = h(
    'button',
    { type: 'button', class: 'icon-button close', 'aria-label': 'Close option details', onclick: onClose },
    '×',
  );
  const shipmentQuoted = x.quote !== null && containers > 1 && x.pricedFor.startsWith(`${containers} ×`);
  const perShipment = containers > 1 && !shipmentQuoted;
  const costUsd = x.quote?.totalUsd ?? o.totals.costUsd;
  const co2Kg = x.emissions?.wtwKgCo2e ?? o.totals.co2eKg;
  const scopeText = x.quote ? x.pricedFor : "per 40' container";
  return h(
    'article',
    { class: 'detail', 'aria-labelledby': 'detail-h', tabindex: -1 },
    h(
      'header',
      { class: 'detail-head' },
      h('h2', { id: 'detail-h' }, `Option ${o.option}`),
      labelBadges(o.labels),
      close,
    ),
    h('p', { class: 'detail-summary' }, o.summary),
    h(
      'div',
      { class: 'kpis' },
      kpi('Duration', days(o.totals.durationH), `nominal, ${int(o.totals.durationH)} h door to door`),
      kpi(
        x.quote ? 'Quote' : 'Cost',
        usd(costUsd),
        perShipment
          ? `× ${containers} = ${usd(costUsd * containers)}`
          : `${scopeText}${x.quote?.date ? `, priced for ${x.quote.date}` : ''}`,
      ),
      kpi(
        x.emissions ? 'CO2e (WTW)' : 'CO2e',
        co2(co2Kg),
        perShipment
          ? `× ${containers} = ${co2(co2Kg * containers)}`
          : x.emissions
            ? `${scopeText}; TTW ${co2(x.emissions.ttwKgCo2e)}`
            : scopeText,
      ),
      kpi('Distance', km(o.totals.distanceKm)),
    ),
    perShipment
      ? h(
          'p',
          { class: 'note' },
          `Shipment figures are ${containers} × the per-container figures: ${
            x.pricingNote || "the route search prices one 40' container and models no volume discounts."
          }`,
        )
      : null,
    timing(o, x, ready),
    route(o, x),
    crossings(o),
    cost(o, x),
    emissions(o, x),
  );
}

/** The stated precision of an itinerary's percentiles, when the answer gives one. */
function precision(it: Itinerary): string {
  const h = it.arrival.halfWidthH;
  return typeof h === 'number' ? ` (to ±${h} h, 95 %)` : '';
}
