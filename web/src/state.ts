import { nth } from './invariant.ts';
/**
 * The page state that a URL carries, so every view can be shared and reloaded: the planner's
 * query and chosen option, and the scenario comparison. Pure functions (tested in node).
 *
 * Query string: `view=plan|compare|bookings|booking`, `from`, `to`, `avoid=RU,IR`, `modes=rail,sea`,
 * `ready=YYYY-MM-DD`, `containers`, `scenario`, `option`; compare: `a`, `b` (scenario names or `base`),
 * `lane=FROM~TO` (repeated), `lane_sel` (index of the lane shown on the map); bookings: `booking`
 * (the reference the booking page shows), `operator` (the operator whose departures board is shown).
 */
export const MODES = ['rail', 'road', 'sea', 'ferry'] as const;
export type ModeName = (typeof MODES)[number];

export interface PlanQueryState {
  from: string;
  to: string;
  avoid: string[];
  /** Empty = every mode. */
  modes: ModeName[];
  /** YYYY-MM-DD or ''. */
  ready: string;
  containers: number;
  /** '' = the base network. */
  scenario: string;
}

export interface Lane {
  from: string;
  to: string;
}

export const VIEWS = ['plan', 'compare', 'bookings', 'booking'] as const;
export type View = (typeof VIEWS)[number];

export interface PageState {
  view: View;
  plan: PlanQueryState;
  /** The option shown in detail (1-based, as the API numbers them), or null. */
  option: number | null;
  compare: { a: string; b: string; lanes: Lane[]; selectedLane: number | null };
  /** A booking reference (the booking and shipment page), or ''. */
  booking: string;
  /** An operator id (the departures board), or ''. */
  operator: string;
}

export const MAX_CONTAINERS = 10_000;
export const MAX_LANES = 20;

export function emptyState(): PageState {
  return {
    view: 'plan',
    plan: { from: '', to: '', avoid: [], modes: [], ready: '', containers: 1, scenario: '' },
    option: null,
    compare: { a: 'base', b: '', lanes: [], selectedLane: null },
    booking: '',
    operator: '',
  };
}

const list = (v: string | null) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const BOOKING_REF = /^[A-Za-z0-9_-]{1,100}$/;
const clip = (v: string | null, max: number) => (v ?? '').slice(0, max);

/** Parses a query string; anything malformed falls back to its default (a URL never breaks the page). */
export function parseState(search: string): PageState {
  const q = new URLSearchParams(search);
  const s = emptyState();
  const view = q.get('view') ?? '';
  s.view = (VIEWS as readonly string[]).includes(view) ? (view as View) : 'plan';
  s.plan.from = clip(q.get('from'), 100);
  s.plan.to = clip(q.get('to'), 100);
  s.plan.avoid = [
    ...new Set(
      list(q.get('avoid'))
        .map((c) => c.toUpperCase())
        .filter((c) => /^[A-Z]{2}$/.test(c)),
    ),
  ];
  s.plan.modes = [
    ...new Set(list(q.get('modes')).filter((m): m is ModeName => (MODES as readonly string[]).includes(m))),
  ];
  const ready = q.get('ready') ?? '';
  s.plan.ready = isDate(ready) ? ready : '';
  const n = Number(q.get('containers'));
  s.plan.containers = Number.isInteger(n) && n >= 1 && n <= MAX_CONTAINERS ? n : 1;
  const scenario = q.get('scenario') ?? '';
  s.plan.scenario = SLUG.test(scenario) && scenario !== 'base' ? scenario : '';
  const opt = Number(q.get('option'));
  s.option = q.has('option') && Number.isInteger(opt) && opt >= 1 ? opt : null;
  const a = q.get('a') ?? 'base';
  const b = q.get('b') ?? '';
  s.compare.a = SLUG.test(a) ? a : 'base';
  s.compare.b = SLUG.test(b) ? b : '';
  s.compare.lanes = q
    .getAll('lane')
    .map((l) => l.split('~'))
    .filter((p): p is [string, string] => p.length === 2 && nth(p, 0).trim() !== '' && nth(p, 1).trim() !== '')
    .slice(0, MAX_LANES)
    .map(([from, to]) => ({ from: from.trim().slice(0, 100), to: to.trim().slice(0, 100) }));
  const sel = Number(q.get('lane_sel'));
  s.compare.selectedLane =
    q.has('lane_sel') && Number.isInteger(sel) && sel >= 0 && sel < s.compare.lanes.length ? sel : null;
  const booking = q.get('booking') ?? '';
  s.booking = BOOKING_REF.test(booking) ? booking : '';
  const operator = q.get('operator') ?? '';
  s.operator = SLUG.test(operator) && operator.length <= 100 ? operator : '';
  if (s.view === 'booking' && !s.booking) s.view = 'bookings';
  return s;
}

/** The query string for a state (without `?`); defaults are left out so URLs stay short. */
export function serializeState(s: PageState): string {
  const q = new URLSearchParams();
  if (s.view !== 'plan') q.set('view', s.view);
  const p = s.plan;
  if (p.from) q.set('from', p.from);
  if (p.to) q.set('to', p.to);
  if (p.avoid.length) q.set('avoid', p.avoid.join(','));
  if (p.modes.length) q.set('modes', p.modes.join(','));
  if (p.ready) q.set('ready', p.ready);
  if (p.containers !== 1) q.set('containers', String(p.containers));
  if (p.scenario) q.set('scenario', p.scenario);
  if (s.option !== null) q.set('option', String(s.option));
  const c = s.compare;
  if (s.view === 'compare' || c.b || c.lanes.length) {
    if (c.a !== 'base') q.set('a', c.a);
    if (c.b) q.set('b', c.b);
    for (const l of c.lanes) q.append('lane', `${l.from}~${l.to}`);
    if (c.selectedLane !== null) q.set('lane_sel', String(c.selectedLane));
  }
  if (s.booking) q.set('booking', s.booking);
  if (s.operator) q.set('operator', s.operator);
  return q.toString();
}
