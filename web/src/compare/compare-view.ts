/**
 * Scenario comparison: two scenarios side by side (what B switches on that A does not), per-lane
 * deltas of the fastest and cheapest routes, flow assignment with bottlenecks and a Sankey when the
 * server runs the flows engine, and a network-wide comparison as two route-matrix jobs with
 * progress. The map shows B's network, and for a chosen lane A's route dashed and B's in colour.
 */
import { apiKey, client, unwrap } from '../api/client';
import { AssignmentResultSchema, parsed, type AssignmentResult } from '../api/extras';
import type { Features } from '../api/features';
import type { LinkFeature, LocationFeature, Network, RouteResult, Scenario, ScenarioDiff } from '../api/types';
import { h, render, uniqueId } from '../dom';
import { co2, days, hours, mass, signed, usd } from '../format';
import type { MapView } from '../map/map-view';
import { combobox } from '../plan/combobox';
import { placeSuggestion } from '../plan/form';
import type { Lane, PageState } from '../state';
import { MAX_LANES } from '../state';
import { assignmentComparison } from './flows';
import { runJob } from './jobs';
import { runSweep } from './sweep';
import { compareLane, matrixChanges, type LaneComparison, type MatrixCell } from './lanes';
import { nth, must } from '../invariant';

/** Lanes shown when the URL names none: trunk lanes of the corridor and the Caucasus. */
export const DEFAULT_LANES: Lane[] = [
  { from: 'CNXIA', to: 'DEDUI' },
  { from: 'CNXIA', to: 'TRHAL' },
  { from: 'KZALA', to: 'HUBUD' },
  { from: 'UZTAS', to: 'TRHAL' },
  { from: 'AZBAK', to: 'TRKSY' },
  { from: 'AZBAK', to: 'AZNAJ' },
];

export interface CompareHost {
  features: Promise<Features>;
  scenarios: Promise<Scenario[]>;
  loadNetwork(scenario: string | null): Promise<Network>;
  update(patch: Partial<PageState['compare']>, push: boolean): void;
  announce(message: string): void;
  openSettings(): void;
}

interface LaneRow {
  lane: Lane;
  a: RouteResult | null;
  b: RouteResult | null;
  error: string | null;
  cmp: LaneComparison | null;
}

/** Draws of the "How sure?" sweep: enough for probabilities to ±8 points, a few seconds of workers. */
const SWEEP_DRAWS = 40;
const scenarioParam = (name: string) => (name === 'base' ? {} : { scenario: name });

export class CompareView {
  private state: PageState['compare'] = { a: 'base', b: '', lanes: [], selectedLane: null };
  private requested: Lane[] = [];
  private network: Network | null = null;
  private rows: LaneRow[] = [];
  private run = 0;
  private readonly selA: HTMLSelectElement;
  private readonly selB: HTMLSelectElement;
  private readonly info = h('div', { class: 'scenario-info' });
  private readonly lanesBox = h('div', { class: 'lanes', 'aria-live': 'polite' });
  private readonly flowsBox = h('section', { class: 'detail-section', 'aria-labelledby': 'flows-h' });
  private readonly matrixBox = h('section', { class: 'detail-section', 'aria-labelledby': 'matrix-h' });

  constructor(
    readonly panel: HTMLElement,
    private readonly map: MapView,
    private readonly host: CompareHost,
  ) {
    const idA = uniqueId('scen-a');
    const idB = uniqueId('scen-b');
    this.selA = h('select', { id: idA, name: 'a' });
    this.selB = h('select', { id: idB, name: 'b' });
    const form = h(
      'form',
      { class: 'compare-form', 'aria-label': 'Choose two scenarios' },
      h(
        'div',
        { class: 'row' },
        h('div', { class: 'field' }, h('label', { for: idA }, 'Scenario A'), this.selA),
        h('div', { class: 'field' }, h('label', { for: idB }, 'Scenario B'), this.selB),
      ),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Compare')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.host.update({ a: this.selA.value, b: this.selB.value, selectedLane: null }, true);
    });
    const from = combobox({
      label: 'Lane origin',
      name: 'lane-from',
      placeholder: 'Origin',
      required: false,
      suggest: suggest,
    });
    const to = combobox({
      label: 'Lane destination',
      name: 'lane-to',
      placeholder: 'Destination',
      required: false,
      suggest: suggest,
    });
    const addForm = h(
      'form',
      { class: 'lane-add', 'aria-label': 'Add a lane' },
      h('div', { class: 'od' }, from.root, to.root),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, 'Add lane')),
    );
    addForm.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!from.value() || !to.value()) {
        (from.value() ? to : from).setError('Enter a place name, alias or code.');
        return;
      }
      if (this.state.lanes.length >= MAX_LANES) {
        to.setError(`At most ${MAX_LANES} lanes.`);
        return;
      }
      this.host.update({ lanes: [...this.state.lanes, { from: from.value(), to: to.value() }] }, true);
      from.set('');
      to.set('');
    });
    render(
      panel,
      h('h2', {}, 'Compare scenarios'),
      h(
        'p',
        { class: 'note' },
        'Two versions of the network side by side: which links each switches on, and what that does to the ' +
          'best route on each lane.',
      ),
      form,
      this.info,
      h(
        'section',
        { class: 'detail-section', 'aria-labelledby': 'lanes-h' },
        h('h3', { id: 'lanes-h' }, 'Per-lane deltas (B − A)'),
        this.lanesBox,
        h('details', { class: 'more' }, h('summary', {}, 'Add a lane'), addForm),
      ),
      this.flowsBox,
      this.matrixBox,
    );
  }

  async show(s: PageState['compare']): Promise<void> {
    const scenarios = await this.host.scenarios;
    const names = ['base', ...scenarios.map((x) => x.name)];
    const fill = (sel: HTMLSelectElement) =>
      sel.replaceChildren(
        h('option', { value: 'base' }, 'Base network (operational links)'),
        ...scenarios.map((x) => h('option', { value: x.name, title: x.description }, x.title)),
      );
    fill(this.selA);
    fill(this.selB);
    const b =
      s.b && names.includes(s.b)
        ? s.b
        : (scenarios.find((x) => x.name === 'zangezur-open')?.name ?? scenarios[0]?.name ?? 'base');
    const a = names.includes(s.a) ? s.a : 'base';
    // Without lanes in the URL the default lanes apply; compare what was asked for, not what it became.
    const requested = s.lanes.length ? s.lanes : DEFAULT_LANES;
    const changed =
      a !== this.state.a ||
      b !== this.state.b ||
      JSON.stringify(requested) !== JSON.stringify(this.requested) ||
      this.rows.length === 0;
    this.requested = requested;
    this.state = { ...s, a, b, lanes: changed ? s.lanes : this.state.lanes };
    this.selA.value = a;
    this.selB.value = b;
    if (!changed) {
      this.drawLanes();
      this.showLaneOnMap();
      return;
    }
    const run = ++this.run;
    this.network = await this.host.loadNetwork(b === 'base' ? null : b);
    if (run !== this.run) return;
    const lanes = s.lanes.length
      ? s.lanes
      : DEFAULT_LANES.filter((l) => this.placeName(l.from) !== l.from && this.placeName(l.to) !== l.to);
    this.state.lanes = lanes;
    await Promise.all([this.drawInfo(run, scenarios), this.computeLanes(run)]);
    if (run !== this.run) return;
    void this.drawFlows(run);
    this.drawMatrix();
  }

  /** Redraws the job panels (after an API key was given or removed). */
  refreshJobs(): void {
    if (this.rows.length === 0) return;
    void this.drawFlows(this.run);
    this.drawMatrix();
  }

  private placeName(id: string): string {
    const f = this.network?.features.find(
      (x): x is LocationFeature => x.properties.featureType === 'location' && x.properties.id === id,
    );
    return f ? f.properties.name : id;
  }

  private linkName(id: string): string {
    const f = this.network?.features.find(
      (x): x is LinkFeature => x.properties.featureType === 'link' && x.properties.id === id,
    );
    return f
      ? `${f.properties.fromName} – ${f.properties.toName} ` +
          `(${f.properties.mode}, ${f.properties.status.replace('-', ' ')})`
      : id;
  }

  private async drawInfo(run: number, scenarios: Scenario[]): Promise<void> {
    const { a, b } = this.state;
    const describe = (name: string) => {
      const sc = scenarios.find((x) => x.name === name);
      return h(
        'div',
        { class: 'scenario-card' },
        h('h3', {}, name === 'base' ? 'Base network' : (sc?.title ?? name)),
        h('p', { class: 'note' }, name === 'base' ? 'Operational links only.' : (sc?.description ?? '')),
      );
    };
    let diff: ScenarioDiff | null = null;
    let error = '';
    try {
      diff = await unwrap(
        client.GET('/api/v1/scenarios/diff', { params: { query: { a, b } } }),
        'Comparing the scenarios',
      );
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (run !== this.run) return;
    const links = (ids: string[]) =>
      h(
        'ul',
        { class: 'link-list' },
        ids.map((id) => h('li', {}, this.linkName(id))),
      );
    render(
      this.info,
      h(
        'div',
        { class: 'scenario-pair' },
        h('div', {}, h('span', { class: 'side-tag side-a' }, 'A'), describe(a)),
        h('div', {}, h('span', { class: 'side-tag side-b' }, 'B'), describe(b)),
      ),
      error
        ? h('div', { class: 'error-box', role: 'alert' }, error)
        : diff
          ? h(
              'div',
              { class: 'diff' },
              diff.definitions.links.onlyB.length
                ? [
                    h('p', {}, `B switches on ${diff.definitions.links.onlyB.length} link(s) that A does not:`),
                    links(diff.definitions.links.onlyB),
                  ]
                : h('p', {}, 'B switches on no link that A does not.'),
              diff.definitions.links.onlyA.length
                ? [
                    h('p', {}, `A switches on ${diff.definitions.links.onlyA.length} link(s) that B does not:`),
                    links(diff.definitions.links.onlyA),
                  ]
                : null,
            )
          : null,
    );
  }

  private async computeLanes(run: number): Promise<void> {
    const { a, b, lanes } = this.state;
    render(
      this.lanesBox,
      h(
        'p',
        { class: 'loading', role: 'status' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        `Routing ${lanes.length} lanes in both scenarios…`,
      ),
    );
    const get = (lane: Lane, scen: string) =>
      unwrap(
        client.GET('/api/v1/routes', { params: { query: { from: lane.from, to: lane.to, ...scenarioParam(scen) } } }),
        `${lane.from} → ${lane.to}`,
      );
    this.rows = await Promise.all(
      lanes.map(async (lane): Promise<LaneRow> => {
        try {
          const [ra, rb] = await Promise.all([get(lane, a), get(lane, b)]);
          return { lane, a: ra, b: rb, error: null, cmp: compareLane(ra, rb) };
        } catch (e) {
          return { lane, a: null, b: null, error: e instanceof Error ? e.message : String(e), cmp: null };
        }
      }),
    );
    if (run !== this.run) return;
    const changed = this.rows.filter((r) => r.cmp && (r.cmp.rerouted || r.cmp.reach !== 'both')).length;
    this.host.announce(`Compared ${this.rows.length} lanes; ${changed} change route in B.`);
    this.drawLanes();
    this.showLaneOnMap();
  }

  private drawLanes(): void {
    if (!this.rows.length) {
      render(this.lanesBox, h('p', { class: 'note' }, 'No lanes. Add one below.'));
      return;
    }
    const cls = (x: number, eps: number) => (x < -eps ? 'better' : x > eps ? 'worse' : '');
    const figures = (r: LaneRow) => {
      const c = r.cmp;
      if (!c) return h('p', { class: 'error-text' }, r.error ?? '');
      if (c.reach === 'none') return h('p', { class: 'note' }, 'No route in either scenario.');
      if (c.reach === 'new')
        return h(
          'p',
          {},
          `Only B has a route: ${days(must(c.b.fastest).totals.durationH)}, ${usd(must(c.b.fastest).totals.costUsd)}.`,
        );
      if (c.reach === 'lost')
        return h(
          'p',
          {},
          `Only A has a route: ${days(must(c.a.fastest).totals.durationH)}, ${usd(must(c.a.fastest).totals.costUsd)}.`,
        );
      const d = must(c.delta);
      const fig = (label: string, value: string, klass = '') =>
        h(
          'div',
          { class: 'fig' },
          h('span', { class: 'fig-label' }, label),
          h('span', { class: `fig-value ${klass}` }, value),
        );
      return h(
        'div',
        { class: 'lane-figures' },
        fig('A fastest', days(must(c.a.fastest).totals.durationH)),
        fig('Δ time', signed(d.durationH, hours, 0.05), cls(d.durationH, 0.05)),
        fig('Δ cost', signed(d.costUsd, usd, 0.5), cls(d.costUsd, 0.5)),
        fig('Δ CO2e', signed(d.co2eKg, mass, 0.5), cls(d.co2eKg, 0.5)),
      );
    };
    render(
      this.lanesBox,
      h(
        'ul',
        { class: 'lane-list', 'aria-label': 'Lanes: the fastest route in A, and how B changes it' },
        this.rows.map((r, i) =>
          h(
            'li',
            { class: `lane${i === this.state.selectedLane ? ' selected' : ''}` },
            h(
              'div',
              { class: 'lane-head' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'link-button lane-name',
                  'aria-pressed': String(i === this.state.selectedLane),
                  onclick: () => this.host.update({ selectedLane: i === this.state.selectedLane ? null : i }, false),
                },
                `${r.a?.origin.name ?? this.placeName(r.lane.from)}` +
                  ` → ${r.a?.destination.name ?? this.placeName(r.lane.to)}`,
              ),
              r.cmp?.rerouted ? h('span', { class: 'badge badge-rerouted' }, 'rerouted in B') : null,
              h(
                'button',
                {
                  type: 'button',
                  class: 'icon-button small',
                  'aria-label': `Remove lane ${r.lane.from} → ${r.lane.to}`,
                  onclick: () =>
                    this.host.update({ lanes: this.state.lanes.filter((_, k) => k !== i), selectedLane: null }, true),
                },
                '×',
              ),
            ),
            figures(r),
            i === this.state.selectedLane ? this.laneDetail() : null,
          ),
        ),
      ),
      h(
        'p',
        { class: 'note' },
        "Fastest option per lane, per 40' container, nominal times; green is better in B. Choose a lane to " +
          'see both routes on the map: A dashed grey, B in colour.',
      ),
    );
  }

  private laneDetail(): HTMLElement | null {
    const r = this.state.selectedLane !== null ? this.rows[this.state.selectedLane] : undefined;
    if (!r?.cmp) return null;
    const line = (tag: string, o: LaneComparison['a']['fastest']) =>
      h(
        'p',
        {},
        h('span', { class: `side-tag side-${tag.toLowerCase()}` }, tag),
        o
          ? ` ${o.summary}: ${days(o.totals.durationH)}, ${usd(o.totals.costUsd)}, ${co2(o.totals.co2eKg)}`
          : ' no route',
      );
    return h('div', { class: 'lane-detail' }, line('A', r.cmp.a.fastest), line('B', r.cmp.b.fastest));
  }

  private showLaneOnMap(): void {
    if (this.network) this.map.setNetwork(this.network);
    const r = this.state.selectedLane !== null ? this.rows[this.state.selectedLane] : undefined;
    const legs = (o: LaneComparison['a']['fastest']) =>
      o ? o.legs.map((l) => ({ linkId: l.linkId, from: l.from, to: l.to, mode: l.mode })) : null;
    if (!r?.cmp) {
      this.map.clearComparison();
      this.map.showRoute(null);
      return;
    }
    const b = r.cmp.b.fastest;
    const a = r.cmp.a.fastest;
    const ends = a ?? b;
    const places = ends
      ? [
          { id: nth(ends.legs, 0).from, name: r.a?.origin.name ?? '', role: 'origin' as const },
          {
            id: nth(ends.legs, ends.legs.length - 1).to,
            name: r.a?.destination.name ?? '',
            role: 'destination' as const,
          },
        ]
      : [];
    this.map.setPadding({ right: 40 });
    this.map.showComparison(
      legs(a),
      legs(b),
      places,
      `lane ${r.a?.origin.name} to ${r.a?.destination.name}: scenario A dashed, B in colour`,
    );
  }

  private async drawFlows(run: number): Promise<void> {
    const f = await this.host.features;
    if (run !== this.run) return;
    const heading = h('h3', { id: 'flows-h' }, 'Flows, utilisation and bottlenecks');
    if (!f.assignKind) {
      render(
        this.flowsBox,
        heading,
        h(
          'p',
          { class: 'not-served' },
          f.jobKinds
            ? `This server does not run flow assignment yet (its job kinds are ` +
                `${f.jobKinds.map((k) => k.name).join(', ')}). The flow map coloured by utilisation, the bottlenecks ` +
                `with shadow prices and the Sankey of flows by route appear here once it does.`
            : 'This server did not list its job kinds (they may need an API key), so flow assignment is not ' +
                'available here.',
        ),
      );
      this.map.showFlows(null);
      return;
    }
    const kind = f.assignKind;
    // The demand sets the job can take (GET /api/v1/demand), when the server lists them.
    let sets: { name: string; title: string; year: string | null }[] = [];
    if (f.paths.has('/api/v1/demand')) {
      try {
        sets = (await unwrap(client.GET('/api/v1/demand'), 'Listing demand sets')).demand;
      } catch {
        sets = [];
      }
    }
    if (run !== this.run) return;
    const demandId = uniqueId('demand');
    const co2Id = uniqueId('co2');
    const demand = h(
      'select',
      { id: demandId },
      h('option', { value: '' }, "The scenario's own demand set"),
      sets.map((d) => h('option', { value: d.name }, `${d.title}${d.year ? ` (${d.year})` : ''}`)),
    );
    if (sets.some((d) => d.name === 'trains-2029')) demand.value = 'trains-2029';
    const co2 = h('input', { id: co2Id, type: 'number', min: 0, max: 10000, step: 10, value: 0, inputmode: 'numeric' });
    const start = h(
      'button',
      { type: 'button', class: 'secondary', 'aria-label': `Run the ${kind.title.toLowerCase()} for A and B` },
      'Run for A and B',
    );
    const sweepBtn = h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'aria-label': `How sure: ${SWEEP_DRAWS} draws of A's capacities, dwell, demand and prices, with B's value`,
      },
      'How sure? (sweep)',
    );
    const out = h('div', {});
    render(
      this.flowsBox,
      heading,
      h('p', { class: 'note' }, kind.description),
      h(
        'div',
        { class: 'row' },
        h('div', { class: 'field' }, h('label', { for: demandId }, 'Demand set'), demand),
        h('div', { class: 'field narrow' }, h('label', { for: co2Id }, 'CO2 price (USD/t)'), co2),
      ),
      apiKey() ? h('div', { class: 'actions' }, start, sweepBtn) : this.keyNeeded(),
      out,
    );
    sweepBtn.addEventListener('click', async () => {
      sweepBtn.disabled = true;
      const { a, b } = this.state;
      const sweep = runSweep(
        {
          ...scenarioParam(a),
          ...(b !== 'base' && b !== a ? { compare: b } : {}),
          ...(demand.value ? { demand: demand.value } : {}),
          draws: SWEEP_DRAWS,
          seed: 1,
        },
        (id) => this.placeName(id),
      );
      render(out, sweep.el);
      await sweep.done.catch(() => undefined);
      sweepBtn.disabled = false;
    });
    start.addEventListener('click', async () => {
      start.disabled = true;
      const { a, b } = this.state;
      const price = Number(co2.value);
      const params = (scen: string) => ({
        ...scenarioParam(scen),
        ...(demand.value ? { demand: demand.value } : {}),
        ...(Number.isFinite(price) && price > 0 ? { co2PriceUsdPerTonne: price } : {}),
      });
      const ja = runJob(kind.name, params(a), `${kind.title}: A (${a})`);
      const jb = runJob(kind.name, params(b), `${kind.title}: B (${b})`);
      render(out, ja.el, jb.el);
      try {
        const [ra, rb] = await Promise.all([ja.result, jb.result]);
        const pa = assignmentOf(ra);
        const pb = assignmentOf(rb);
        if (!pa || !pb) throw new Error('the assignment result came back in a form this page does not know');
        const toggle = h('fieldset', { class: 'flow-toggle' }, h('legend', {}, 'Flows on the map'));
        for (const [label, r] of [
          ['A', pa],
          ['B', pb],
          ['none', null],
        ] as const) {
          const input = h('input', { type: 'radio', name: 'flow-map', value: label, checked: label === 'B' });
          input.addEventListener('change', () => (r ? this.showFlowMap(r) : this.map.showFlows(null)));
          toggle.append(h('label', { class: 'check' }, input, ` ${label}`));
        }
        out.append(
          toggle,
          flowLegend(),
          assignmentComparison(pa, pb, { a, b }, (id) => this.placeName(id)),
        );
        // The flows replace the lane's routes on the map.
        if (this.state.selectedLane !== null) this.host.update({ selectedLane: null }, false);
        this.showFlowMap(pb);
      } catch (e) {
        out.append(h('div', { class: 'error-box', role: 'alert' }, e instanceof Error ? e.message : String(e)));
      } finally {
        start.disabled = false;
      }
    });
  }

  private showFlowMap(r: AssignmentResult): void {
    this.map.showFlows(
      r.links.map((l) => ({ linkId: l.id, from: l.from, flowTeu: l.flow, utilization: l.utilization })),
    );
  }

  private keyNeeded(): HTMLElement {
    return h(
      'p',
      { class: 'note' },
      'Jobs need an API key with the planner role (',
      h('code', {}, 'corridor keys create --role planner'),
      '). ',
      h('button', { type: 'button', class: 'link-button', onclick: () => this.host.openSettings() }, 'Enter a key'),
      '.',
    );
  }

  /** Network-wide: every ordered pair of places, as two route-matrix jobs with progress. */
  private drawMatrix(): void {
    const heading = h('h3', { id: 'matrix-h' }, 'Network-wide comparison');
    void this.host.features.then((f) => {
      const served = f.jobKinds?.some((k) => k.name === 'route-matrix') ?? f.paths.has('/api/v1/assignments');
      if (!served) {
        render(this.matrixBox, heading, h('p', { class: 'not-served' }, 'This server does not run route-matrix jobs.'));
        return;
      }
      const start = h('button', { type: 'button', class: 'secondary' }, 'Compare every pair of places');
      const out = h('div', {});
      render(
        this.matrixBox,
        heading,
        h(
          'p',
          { class: 'note' },
          'Runs the best time and cost between every ordered pair of places in A and in B as two server jobs, ' +
            'then lists the pairs B changes most.',
        ),
        apiKey() ? start : this.keyNeeded(),
        out,
      );
      start.addEventListener('click', async () => {
        start.disabled = true;
        const { a, b } = this.state;
        const ja = runJob('route-matrix', scenarioParam(a), `Route matrix A (${a})`);
        const jb = runJob('route-matrix', scenarioParam(b), `Route matrix B (${b})`);
        render(out, ja.el, jb.el);
        try {
          const [ra, rb] = (await Promise.all([ja.result, jb.result])) as { cells?: MatrixCell[] }[];
          const changes = matrixChanges(ra?.cells ?? [], rb?.cells ?? []);
          out.append(
            changes.length
              ? h(
                  'table',
                  { class: 'table' },
                  h(
                    'thead',
                    {},
                    h(
                      'tr',
                      {},
                      h('th', { scope: 'col' }, 'Pair'),
                      h('th', { scope: 'col', class: 'num' }, 'A'),
                      h('th', { scope: 'col', class: 'num' }, 'B'),
                      h('th', { scope: 'col', class: 'num' }, 'Δ time'),
                    ),
                  ),
                  h(
                    'tbody',
                    {},
                    changes.map((c) =>
                      h(
                        'tr',
                        {},
                        h('th', { scope: 'row' }, `${this.placeName(c.from)} → ${this.placeName(c.to)}`),
                        h('td', { class: 'num' }, c.aDurationH === null ? 'no route' : days(c.aDurationH)),
                        h('td', { class: 'num' }, c.bDurationH === null ? 'no route' : days(c.bDurationH)),
                        h(
                          'td',
                          { class: 'num' },
                          c.deltaH === null
                            ? c.aDurationH === null
                              ? 'newly connected'
                              : 'disconnected'
                            : signed(c.deltaH, hours, 0.05),
                        ),
                      ),
                    ),
                  ),
                )
              : h('p', {}, "B changes no pair's best time or cost."),
          );
        } catch (e) {
          out.append(h('div', { class: 'error-box', role: 'alert' }, e instanceof Error ? e.message : String(e)));
        } finally {
          start.disabled = false;
        }
      });
    });
  }
}

/** How the flow map reads: colour = utilisation of the capacity, width = TEU per year. */
function flowLegend(): HTMLElement {
  return h(
    'p',
    { class: 'flow-legend' },
    h('span', { class: 'ramp', 'aria-hidden': 'true' }),
    ' utilisation 0 → 100 % · ',
    h('span', { class: 'swatch line', style: '--c: #64748b', 'aria-hidden': 'true' }),
    ' no published capacity · line width: TEU per year',
  );
}

/** An assignment job's result: the assignment itself, or wrapped with the scenario and demand set it ran. */
function assignmentOf(x: unknown): AssignmentResult | null {
  return (
    parsed(AssignmentResultSchema, x) ?? parsed(AssignmentResultSchema, (x as { result?: unknown } | null)?.result)
  );
}

async function suggest(text: string, signal: AbortSignal) {
  const r = await unwrap(
    client.GET('/api/v1/locations', { params: { query: { q: text, limit: '8' } }, signal }),
    'Searching places',
  );
  return r.locations.map(placeSuggestion);
}
