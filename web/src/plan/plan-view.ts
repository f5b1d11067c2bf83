/**
 * The planner: the form, the Pareto options (chart and list), what was left out, and the chosen
 * option in detail and on the map. Routes come from GET /api/v1/routes; timed itineraries and
 * quotes from /api/v1/plans and /api/v1/quotes when the server offers them (feature-detected).
 */
import { ApiError, client, unwrap } from '../api/client';
import {
  EmissionsSchema,
  ItinerarySchema,
  parsed,
  pathKey,
  PlanResultSchema,
  QuoteSchema,
  type Emissions,
  type Itinerary,
  type PlanResult,
  type Quote,
} from '../api/extras';
import { callEndpoint, type Features } from '../api/features';
import type { Network, RouteOption, RouteResult } from '../api/types';
import { h, render } from '../dom';
import { countryName, days, localDateTime } from '../format';
import type { DrawnPlace, MapView } from '../map/map-view';
import type { PlanQueryState } from '../state';
import { planForm, type PlanForm } from './form';
import { labelBadges, alternativesList, optionsList } from './options-list';
import { optionDetail, type OptionExtras } from './option-detail';
import { scatterChart } from './scatter';
import { nth, must } from '../invariant';

export interface PlanHost {
  features: Promise<Features>;
  network: () => Network | null;
  /** The form was submitted: record the query (new history entry) and plan. */
  submitted(q: PlanQueryState): void;
  /** The chosen option changed (replaces the history entry). */
  optionChosen(option: number | null): void;
  announce(message: string): void;
  /** Room the detail drawer takes on the right of the map, px (0 = none). */
  drawerWidth(): number;
  /** Books an itinerary for the shipment (null: the server takes no bookings). */
  book: ((routingReference: string, containers: number) => void) | null;
}

interface Extras {
  plan: PlanResult | null;
  planNote: string;
  /** By path: the itemised quote and footprint, and what they price (one container, the shipment). */
  priced: Map<string, { quote: Quote | null; emissions: Emissions | null; scope: string }>;
  pricingNote: string;
}

const NOMINAL = 'Durations are nominal: running time plus typical dwell at borders, gauge changes and ports.';

export class PlanView {
  readonly form: PlanForm;
  private readonly results = h('div', { class: 'results', 'aria-live': 'polite' });
  private result: RouteResult | null = null;
  private query: PlanQueryState | null = null;
  private extras: Extras | null = null;
  private selected: number | null = null;
  private run = 0;

  constructor(
    readonly panel: HTMLElement,
    private readonly drawer: HTMLElement,
    private readonly map: MapView,
    private readonly host: PlanHost,
  ) {
    this.form = planForm((q) => host.submitted(q));
    render(panel, h('h2', { class: 'visually-hidden' }, 'Plan a route'), this.form.root, this.results);
    this.renderIntro();
  }

  private renderIntro(): void {
    render(
      this.results,
      h(
        'div',
        { class: 'intro' },
        h(
          'p',
          {},
          'Plan container routes across the Middle Corridor and its alternatives: the options that are best on ' +
            'time, cost or CO2e, what each crosses, and why others were left out.',
        ),
        h(
          'p',
          { class: 'note' },
          'Try ',
          h(
            'button',
            {
              type: 'button',
              class: 'link-button',
              onclick: () => this.host.submitted({ ...this.form.read(), from: "Xi'an", to: 'Duisburg', avoid: ['RU'] }),
            },
            "Xi'an → Duisburg avoiding Russia",
          ),
          '.',
        ),
      ),
    );
  }

  /** Shows a query (from the URL or the form) and plans it. */
  async plan(q: PlanQueryState, option: number | null): Promise<void> {
    this.form.write(q);
    if (!q.from || !q.to) {
      this.clear();
      return;
    }
    const sameQuery = this.result && this.query && JSON.stringify(this.query) === JSON.stringify(q);
    if (sameQuery) {
      this.select(option ?? this.selected ?? must(this.result).options[0]?.option ?? null, false);
      return;
    }
    const run = ++this.run;
    this.query = q;
    this.form.setBusy(true);
    this.form.from.setError(null);
    this.form.to.setError(null);
    render(
      this.results,
      h(
        'p',
        { class: 'loading', role: 'status' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        `Planning ${q.from} → ${q.to}…`,
      ),
    );
    let result: RouteResult;
    try {
      result = await unwrap(
        client.GET('/api/v1/routes', {
          params: {
            query: {
              from: q.from,
              to: q.to,
              ...(q.avoid.length ? { avoid: q.avoid.join(',') } : {}),
              ...(q.modes.length ? { modes: q.modes.join(',') } : {}),
              ...(q.scenario ? { scenario: q.scenario } : {}),
              // The shipment and its ready date price the options, so the list, the chart and the
              // quote drawer show one price: the server's (ready date, else today).
              ...(q.containers > 1 ? { containers: `${q.containers}x40` } : {}),
              ...(q.ready ? { ready: q.ready } : {}),
            },
          },
        }),
        'Planning',
      );
    } catch (e) {
      if (run !== this.run) return;
      this.form.setBusy(false);
      this.result = null;
      this.showError(e);
      this.map.showRoute(null);
      this.closeDrawer();
      return;
    }
    if (run !== this.run) return;
    this.form.setBusy(false);
    this.result = result;
    this.extras = { plan: null, planNote: '', priced: new Map(), pricingNote: '' };
    this.selected = null;
    const first =
      option !== null && result.options.some((o) => o.option === option) ? option : (result.options[0]?.option ?? null);
    this.host.announce(
      result.options.length
        ? `${result.options.length} options from ${result.origin.name} to ` +
            `${result.destination.name}; fastest ${days(nth(result.options, 0).totals.durationH)}.`
        : `No route from ${result.origin.name} to ${result.destination.name} under these constraints.`,
    );
    this.select(first, false);
    void this.loadExtras(run, q, result);
  }

  clear(): void {
    this.run++;
    this.result = null;
    this.query = null;
    this.selected = null;
    this.renderIntro();
    this.map.showRoute(null);
    this.closeDrawer();
  }

  private showError(e: unknown): void {
    const msg = e instanceof Error ? e.message : String(e);
    if (e instanceof ApiError && e.problem) {
      const field = e.problem.errors?.[0]?.field;
      const names = new Map<string, string>();
      for (const f of this.host.network()?.features ?? [])
        if (f.properties.featureType === 'location') names.set(f.properties.id, f.properties.name);
      const candidates = (e.problem.candidates ?? [])
        .slice(0, 4)
        .map((id) => ({ value: names.get(id) ?? id, label: names.get(id) ?? id, detail: id }));
      if (field === 'query.from') this.form.from.setError(e.problem.detail, candidates);
      else if (field === 'query.to') this.form.to.setError(e.problem.detail, candidates);
    }
    render(
      this.results,
      h('div', { class: 'error-box', role: 'alert' }, h('strong', {}, 'Could not plan this route. '), msg),
    );
  }

  private drawResults(): void {
    const r = this.result;
    const q = this.query;
    if (!r || !q) return;
    const n = q.containers;
    const head = h(
      'div',
      { class: 'results-head' },
      h('h2', {}, `${r.origin.name} → ${r.destination.name}`),
      h(
        'p',
        { class: 'results-sub' },
        `${r.options.length} option${r.options.length === 1 ? '' : 's'}`,
        q.avoid.length ? ` · avoiding ${q.avoid.map(countryName).join(', ')}` : '',
        q.modes.length ? ` · ${q.modes.join(', ')} only` : '',
        ` · ${r.query.scenario ? `scenario ${r.query.scenario}` : 'base network'}`,
        n > 1 ? ` · ${n} containers` : '',
      ),
    );
    const notes = h('p', { class: 'note' }, `${r.cargo.description}. ${NOMINAL}`);
    if (!r.options.length) {
      render(
        this.results,
        head,
        h(
          'div',
          { class: 'empty' },
          h('p', {}, 'No route satisfies these constraints.'),
          alternativesList(r.alternatives, n) ??
            h('p', {}, 'Nothing was excluded: the places are not connected in this network.'),
        ),
      );
      return;
    }
    render(
      this.results,
      head,
      scatterChart(r.options, r.alternatives, this.selected, (o) => this.select(o, true), n),
      optionsList(r.options, this.selected, (o) => this.select(o, true), n),
      this.departuresList(),
      alternativesList(r.alternatives, n),
      notes,
    );
  }

  /** Timed itineraries as a list of departures (when served and asked for). */
  private departuresList(): HTMLElement | null {
    const plan = this.extras?.plan;
    if (!plan) return this.extras?.planNote ? h('p', { class: 'note timing-note' }, this.extras.planNote) : null;
    return h(
      'section',
      { class: 'departures', 'aria-labelledby': 'dep-h' },
      h('h3', { id: 'dep-h' }, `Departures (${plan.itineraries.length})`),
      plan.itineraries.length
        ? h(
            'table',
            { class: 'table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, 'Departs'),
                h('th', { scope: 'col' }, 'Arrival P50'),
                h('th', { scope: 'col' }, 'P90'),
                h('th', { scope: 'col' }, ''),
              ),
            ),
            h(
              'tbody',
              {},
              plan.itineraries.map((it) =>
                h(
                  'tr',
                  {},
                  h('td', {}, localDateTime(it.departure)),
                  h('td', {}, it.arrival.p50 ? localDateTime(it.arrival.p50) : '—'),
                  h('td', {}, it.arrival.p90 ? localDateTime(it.arrival.p90) : '—'),
                  h('td', {}, labelBadges(it.labels)),
                ),
              ),
            ),
          )
        : null,
      ...(plan.notes ?? []).map((n) => h('p', { class: 'note' }, n)),
    );
  }

  private async loadExtras(run: number, q: PlanQueryState, r: RouteResult): Promise<void> {
    const f = await this.host.features;
    const x = must(this.extras);
    // Options priced inline: the route endpoint quotes the shipment asked for, for its ready date.
    const scope = `${q.containers} × 40' container${q.containers > 1 ? 's' : ''}`;
    for (const o of r.options) {
      const quote = parsed(QuoteSchema, (o as Record<string, unknown>).quote);
      const emissions = parsed(EmissionsSchema, (o as Record<string, unknown>).emissions);
      if (quote || emissions) x.priced.set(pathKey(o.legs.map((l) => l.linkId)), { quote, emissions, scope });
    }
    const common = {
      from: q.from,
      to: q.to,
      avoid: q.avoid.join(',') || undefined,
      modes: q.modes.join(',') || undefined,
      scenario: q.scenario || undefined,
    };
    const tasks: Promise<void>[] = [];
    if (!f.plans)
      x.planNote =
        `Departures and P50/P90 arrival need timed itineraries, which this server does not serve yet (no ` +
        `/api/v1/plans). ${NOMINAL}`;
    else if (!q.ready) x.planNote = 'Give a ready date to see departures and P50/P90 arrival.';
    else {
      x.planNote = 'Loading departures…';
      tasks.push(
        callEndpoint(f.plans, { ...common, ready: q.ready }, 'Timed itineraries').then(
          ({ data }) => {
            x.plan = parsed(PlanResultSchema, data);
            x.planNote = x.plan ? '' : 'The timed itineraries came back in a form this page does not know.';
          },
          (e: unknown) => {
            x.planNote = e instanceof Error ? e.message : String(e);
          },
        ),
      );
    }
    // A server whose routes carry no quotes: ask the quote endpoint (same parameters, same rule).
    if (x.priced.size > 0) x.pricingNote = '';
    else if (!f.quotes) {
      x.pricingNote =
        'An itemised quote (tariffs, charges and FX, each with its source) needs the tariff engine, ' +
        'which this server does not serve yet (no /api/v1/quotes).';
    } else {
      x.pricingNote = 'Loading the itemised quote…';
      tasks.push(
        // The tariff engine's container notation: count × ISO size (40 = 42G1).
        callEndpoint(
          f.quotes,
          { ...common, containers: `${q.containers}x40`, ready: q.ready || undefined },
          'Quote',
        ).then(
          ({ data }) => {
            let n = 0;
            for (const o of (data as { options?: unknown[] } | null)?.options ?? []) {
              const legs = (o as { legs?: { linkId?: string }[] }).legs ?? [];
              const quote = parsed(QuoteSchema, (o as Record<string, unknown>).quote);
              if (!quote) continue;
              n++;
              x.priced.set(pathKey(legs.map((l) => l.linkId ?? '')), {
                quote,
                emissions: parsed(EmissionsSchema, (o as Record<string, unknown>).emissions),
                scope,
              });
            }
            x.pricingNote = n
              ? `The quote for ${scope} prices other paths than this option.`
              : 'The quote endpoint returned no priced option for this query.';
          },
          (e: unknown) => {
            x.pricingNote = e instanceof Error ? e.message : String(e);
          },
        ),
      );
    }
    this.drawResults();
    this.drawDetail();
    await Promise.all(tasks);
    if (run !== this.run) return;
    this.drawResults();
    this.drawDetail();
  }

  private extrasFor(o: RouteOption): OptionExtras {
    const x = this.extras;
    const key = pathKey(o.legs.map((l) => l.linkId));
    const itinerary: Itinerary | null =
      x?.plan?.itineraries.find((it) => pathKey(it.legs.flatMap((l) => l.linkIds)) === key) ?? null;
    const priced = x?.priced.get(key);
    return {
      itinerary: itinerary ? parsed(ItinerarySchema, itinerary) : null,
      timingNote: x?.plan
        ? itinerary
          ? ''
          : 'No timed itinerary follows exactly this route; the departures above follow other paths.'
        : (x?.planNote ?? ''),
      quote: priced?.quote ?? null,
      emissions: priced?.emissions ?? null,
      pricedFor: priced?.scope ?? '',
      pricingNote: x?.pricingNote ?? '',
      book: this.host.book ? (ref) => this.host.book?.(ref, this.query?.containers ?? 1) : null,
    };
  }

  /** Selects an option: list, chart, map and detail follow. */
  select(option: number | null, fromUser: boolean): void {
    this.selected = option;
    this.drawResults();
    this.drawDetail();
    const o = this.result?.options.find((x) => x.option === option);
    if (o) {
      this.map.setPadding({ right: this.host.drawerWidth() + 40 });
      const off = this.offNetwork();
      const at = (id: string) => off.get(id);
      this.map.showRoute(
        o.legs.map((l) => {
          const a = at(l.from);
          const b = at(l.to);
          return {
            linkId: l.linkId,
            from: l.from,
            to: l.to,
            mode: l.mode,
            ...(a ? { fromLonLat: a } : {}),
            ...(b ? { toLonLat: b } : {}),
          };
        }),
        this.placesOf(o).map((p) => {
          const c = at(p.id);
          return c ? { ...p, lonLat: c } : p;
        }),
        `option ${o.option}, ${must(this.result).origin.name} to ${must(this.result).destination.name}, ` +
          `${days(o.totals.durationH)}: ${[nth(o.legs, 0).fromName, ...o.legs.map((l) => l.toName)].join(', ')}`,
      );
    } else this.map.showRoute(null);
    if (fromUser) {
      this.host.optionChosen(option);
      (this.drawer.querySelector('.detail') as HTMLElement | null)?.focus({ preventScroll: true });
    }
  }

  /** Ends of the answer that are places off the network (door to door), by id: their coordinates. */
  private offNetwork(): Map<string, [number, number]> {
    const d = (this.result as { doorToDoor?: Record<string, unknown> } | null)?.doorToDoor;
    const out = new Map<string, [number, number]>();
    for (const key of ['origin', 'destination']) {
      const e = d?.[key] as { id?: string; coordinates?: { lat: number; lon: number } } | undefined;
      if (e?.id && e.coordinates) out.set(e.id, [e.coordinates.lon, e.coordinates.lat]);
    }
    return out;
  }

  private placesOf(o: RouteOption): DrawnPlace[] {
    return [
      { id: nth(o.legs, 0).from, name: nth(o.legs, 0).fromName, role: 'origin' },
      ...o.stops.map((s) => ({ id: s.at, name: s.name, role: 'stop' as const })),
      { id: nth(o.legs, o.legs.length - 1).to, name: nth(o.legs, o.legs.length - 1).toName, role: 'destination' },
    ];
  }

  private drawDetail(): void {
    const o = this.result?.options.find((x) => x.option === this.selected);
    if (!o || !this.query) {
      this.closeDrawer();
      return;
    }
    this.drawer.hidden = false;
    document.body.classList.add('has-drawer');
    render(
      this.drawer,
      optionDetail(o, this.extrasFor(o), this.query.ready, this.query.containers, () => this.select(null, true)),
    );
  }

  private closeDrawer(): void {
    this.drawer.hidden = true;
    document.body.classList.remove('has-drawer');
    this.drawer.replaceChildren();
  }
}
