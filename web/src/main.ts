/**
 * The web planner: wires the URL state, the map, the planner and the scenario comparison. The
 * query string is the state (shareable, back/forward work); everything comes from this server.
 */
import { apiKey, client, setApiKey, unwrap } from './api/client';
import { detectFeatures, type Features } from './api/features';
import type { Network, Scenario } from './api/types';
import { book } from './booking/api';
import { BookingsView } from './booking/bookings-view';
import { ShipmentView } from './booking/shipment-view';
import { CompareView } from './compare/compare-view';
import { h, render } from './dom';
import { BASEMAP, loadWaterGrid } from './map/basemap';
import { KIND_COLORS, MODE_COLORS } from './map/colors';
import { MapView } from './map/map-view';
import { SeaRouter } from './map/sea-lanes';
import { PlanView } from './plan/plan-view';
import { parseState, serializeState, type PageState } from './state';
import './styles.css';
import { must } from './invariant';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const panel = $('panel');
const planPanel = $('plan-panel');
const comparePanel = $('compare-panel');
const bookingsPanel = $('bookings-panel');
const bookingPanel = $('booking-panel');
const drawer = $('drawer');
const banner = $('banner');
const announcer = $('announcer');
const phone = window.matchMedia('(max-width: 760px)');

let state: PageState = parseState(location.search);

function announce(message: string): void {
  announcer.textContent = '';
  window.setTimeout(() => (announcer.textContent = message), 30);
}

function showBanner(message: string | null): void {
  banner.hidden = !message;
  render(banner, message ? [h('strong', {}, 'Problem: '), message] : []);
}

const map = new MapView($('map'), BASEMAP, (m) => showBanner(m));
// Sea lanes drawn around land: optional polish, so a failure only leaves the schematic lines.
void map.ready
  .then(() => loadWaterGrid())
  .then(
    (grid) => map.setSeaRouter(new SeaRouter(grid)),
    (e: unknown) => console.warn(`Sea lanes stay schematic: ${e instanceof Error ? e.message : String(e)}`),
  );

const features: Promise<Features> = detectFeatures();
features.catch((e: unknown) => showBanner(e instanceof Error ? e.message : String(e)));

/** Every page of the scenario list (the API serves at most 100 per page). */
async function allScenarios(): Promise<Scenario[]> {
  const out: Scenario[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const query = cursor ? { limit: '100', cursor } : { limit: '100' };
    const r = await unwrap(client.GET('/api/v1/scenarios', { params: { query } }), 'Loading scenarios');
    out.push(...r.scenarios);
    if (!r.nextCursor) break;
    cursor = r.nextCursor;
  }
  return out;
}

const scenarios: Promise<Scenario[]> = allScenarios().then(
  (r) => r,
  (e: unknown) => {
    showBanner(e instanceof Error ? e.message : String(e));
    return [];
  },
);

const networks = new Map<string, Promise<Network>>();
function loadNetwork(scenario: string | null): Promise<Network> {
  const key = scenario ?? '';
  let p = networks.get(key);
  if (!p) {
    p = unwrap(
      client.GET('/api/v1/network', { params: { query: scenario ? { scenario } : {} }, parseAs: 'json' }),
      'Loading the network',
    ) as unknown as Promise<Network>;
    p.catch(() => networks.delete(key));
    networks.set(key, p);
  }
  return p;
}
let currentNetwork: Network | null = null;

function go(next: PageState, push: boolean): void {
  state = next;
  const qs = serializeState(next);
  const url = `${location.pathname}${qs ? `?${qs}` : ''}`;
  if (url !== `${location.pathname}${location.search}`) history[push ? 'pushState' : 'replaceState'](null, '', url);
  void apply();
}

const plan = new PlanView(planPanel, drawer, map, {
  features,
  network: () => currentNetwork,
  submitted: (q) => go({ ...state, view: 'plan', plan: q, option: null }, true),
  optionChosen: (option) => go({ ...state, option }, false),
  announce,
  drawerWidth: () => (phone.matches || drawer.hidden ? 0 : drawer.getBoundingClientRect().width),
  book: (ref, containers) => void bookItinerary(ref, containers),
});

/** A random Idempotency-Key (getRandomValues also works outside secure contexts). */
function idempotencyKey(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

async function bookItinerary(routingReference: string, containers: number): Promise<void> {
  if (!apiKey()) {
    openSettings('Booking needs a shipper’s API key (planner role): corridor keys create --role planner.');
    return;
  }
  announce('Booking…');
  try {
    const ref = await book(routingReference, containers, idempotencyKey());
    showBanner(null);
    announce(`Booked: ${ref} is RECEIVED.`);
    go({ ...state, view: 'booking', booking: ref }, true);
  } catch (e) {
    showBanner(e instanceof Error ? e.message : String(e));
  }
}

const bookings = new BookingsView(bookingsPanel, {
  openBooking: (ref) => go({ ...state, view: 'booking', booking: ref }, true),
  chooseOperator: (operator) => go({ ...state, view: 'bookings', operator }, false),
  openSettings: () => openSettings(),
  announce,
});
const shipment = new ShipmentView(bookingPanel, map, {
  network: () =>
    loadNetwork(null).then((n) => {
      if (currentNetwork !== n) map.setNetwork(n);
      currentNetwork = n;
      return n;
    }),
  announce,
  openBookings: () => go({ ...state, view: 'bookings' }, true),
});

const compare = new CompareView(comparePanel, map, {
  features,
  scenarios,
  loadNetwork,
  update: (patch, push) => go({ ...state, view: 'compare', compare: { ...state.compare, ...patch } }, push),
  announce,
  openSettings,
});

scenarios.then((list) => plan.form.setScenarios(list));

async function apply(): Promise<void> {
  const view = state.view;
  const tab = view === 'booking' ? 'bookings' : view;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('.tabs a')) {
    if (a.dataset.view === tab) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  planPanel.hidden = view !== 'plan';
  comparePanel.hidden = view !== 'compare';
  bookingsPanel.hidden = view !== 'bookings';
  bookingPanel.hidden = view !== 'booking';
  document.body.dataset.view = view;
  document.title = {
    plan: 'Corridor — plan a route',
    compare: 'Corridor — compare scenarios',
    bookings: 'Corridor — bookings',
    booking: `Corridor — booking ${state.booking}`,
  }[view];
  if (view !== 'booking') shipment.hide();
  if (view === 'bookings' || view === 'booking') {
    drawer.hidden = true;
    document.body.classList.remove('has-drawer');
    map.clearComparison();
    map.showFlows(null);
    if (view === 'bookings') {
      map.showRoute(null);
      await bookings.show(state.operator);
    } else await shipment.show(state.booking);
    return;
  }
  if (view === 'compare') {
    drawer.hidden = true;
    document.body.classList.remove('has-drawer');
    map.showRoute(null);
    map.showFlows(null);
    await compare.show(state.compare);
    return;
  }
  map.clearComparison();
  map.showFlows(null);
  // The network (map layer, country list) and the plan load side by side.
  const network = loadNetwork(state.plan.scenario || null).then(
    (n) => {
      currentNetwork = n;
      map.setNetwork(n);
      const countries = new Set<string>();
      for (const f of n.features) {
        if (f.properties.featureType === 'link') for (const c of f.properties.countries) countries.add(c);
      }
      plan.form.setCountries([...countries]);
    },
    (e: unknown) => showBanner(e instanceof Error ? e.message : String(e)),
  );
  await Promise.all([network, plan.plan(state.plan, state.option)]);
}

for (const a of document.querySelectorAll<HTMLAnchorElement>('.tabs a')) {
  a.addEventListener('click', (e) => {
    e.preventDefault();
    const v = a.dataset.view;
    go({ ...state, view: v === 'compare' || v === 'bookings' ? v : 'plan' }, true);
    panel.focus({ preventScroll: true });
  });
}
window.addEventListener('popstate', () => {
  state = parseState(location.search);
  void apply();
});

// Legend.
render(
  $('legend'),
  h(
    'details',
    { open: !phone.matches },
    h('summary', {}, 'Legend'),
    h(
      'ul',
      {},
      Object.entries(MODE_COLORS).map(([m, c]) =>
        h('li', {}, h('span', { class: 'swatch line', style: `--c: ${c}` }), m),
      ),
      h('li', {}, h('span', { class: 'swatch line dashed', style: '--c: #475569' }), 'planned / proposed'),
      h(
        'li',
        {},
        h('span', { class: 'swatch dot', style: `--c: #fff; --s: ${KIND_COLORS.border}` }),
        'border crossing',
      ),
      h('li', {}, h('span', { class: 'swatch dot', style: `--c: ${KIND_COLORS.gaugeChange}` }), 'gauge change'),
      h('li', {}, h('span', { class: 'swatch dot', style: `--c: ${KIND_COLORS.seaport}` }), 'seaport'),
      h('li', {}, h('span', { class: 'swatch dot', style: `--c: ${KIND_COLORS.place}` }), 'city, terminal'),
      h('li', {}, h('span', { class: 'swatch dot', style: `--c: #fff; --s: ${KIND_COLORS.passage}` }), 'sea passage'),
    ),
  ),
);

// Settings: the API key for jobs and bookings (kept for this browser session only).
const dialog = $<HTMLDialogElement>('settings');
function openSettings(why = ''): void {
  const input = dialog.querySelector('input') as HTMLInputElement;
  input.value = apiKey() ?? '';
  (dialog.querySelector('.dialog-status') as HTMLElement).textContent = why;
  dialog.showModal();
  input.focus();
}
$('settings-button').addEventListener('click', () => openSettings());
must(dialog.querySelector('form')).addEventListener('submit', async (e) => {
  const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
  if (submitter?.value !== 'save') return;
  e.preventDefault();
  const input = dialog.querySelector('input') as HTMLInputElement;
  const status = dialog.querySelector('.dialog-status') as HTMLElement;
  const key = input.value.trim();
  setApiKey(key || null);
  if (!key) {
    dialog.close();
    keyChanged();
    return;
  }
  status.textContent = 'Checking the key…';
  try {
    await unwrap(client.GET('/api/v1/assignments', { params: { query: { limit: '1' } } }), 'Checking the key');
    status.textContent = 'Key accepted.';
    dialog.close();
    keyChanged();
  } catch (err) {
    setApiKey(null);
    status.textContent = err instanceof Error ? err.message : String(err);
  }
});

/** Views that depend on who the key is read again. */
function keyChanged(): void {
  compare.refreshJobs();
  if (state.view === 'bookings' || state.view === 'booking') {
    shipment.hide();
    void apply();
  }
}

features.then((f) => {
  $('server-version').textContent = `API ${f.version}`;
});
loadNetwork(null).then(
  (n) => {
    const links = n.features.filter((f) => f.properties.featureType === 'link').length;
    const places = n.features.filter((f) => f.properties.featureType === 'location').length;
    $('dataset').textContent = `${places} places · ${links} links`;
  },
  () => undefined,
);
phone.addEventListener('change', () => map.resize());
void apply();
