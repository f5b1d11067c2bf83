/**
 * One booking and its shipment: the status with the hold's countdown and each leg's status; the
 * itinerary on the map with the container's last known position; the timeline of milestones
 * (planned against estimated and actual); the arrival forecast's P10–P90 band over its revisions;
 * alerts. Kept live by the booking's Server-Sent Events (new events, new forecast revisions).
 */
import type { Network } from '../api/types';
import { h, render, svg } from '../dom';
import { localDateTime } from '../format';
import type { DrawnPlace, MapView } from '../map/map-view';
import { cancelBooking, etaOf, eventsOf, followEvents, getBooking } from './api';
import { statusBadge } from './bookings-view';
import { type BookingSummary, holdCountdown, legRows } from './model';
import {
  alertsOf,
  type EtaRevision,
  etaChart,
  eventText,
  itineraryLinks,
  type LinkEnds,
  lastKnownPosition,
  orderedEvents,
  type TntEvent,
  timeline,
} from './tracking';

export interface ShipmentHost {
  network(): Promise<Network>;
  announce(message: string): void;
  openBookings(): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const when = (t: string | null) => (t ? localDateTime(t) : '—');
const iso = (t: string) => (t.endsWith('Z') ? `${t.slice(0, 16)}Z` : t);
const signedH = (x: number | null) => (x === null ? '' : `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x)} h`);
const OPEN = ['RECEIVED', 'PENDING_UPDATE', 'UPDATE_RECEIVED'];

export class ShipmentView {
  private ref = '';
  private booking: BookingSummary | null = null;
  private events: TntEvent[] = [];
  private revisions: EtaRevision[] = [];
  private live = false;
  private lapsed = false;
  private liveWhy = '';
  private abort: AbortController | null = null;
  private timers: number[] = [];
  private readonly head = h('div', { class: 'booking-head' });
  private readonly shipment = h('div', { class: 'shipment' });

  constructor(
    private readonly root: HTMLElement,
    private readonly map: MapView,
    private readonly host: ShipmentHost,
  ) {}

  async show(ref: string): Promise<void> {
    if (ref === this.ref && this.abort) return;
    this.hide();
    this.ref = ref;
    this.booking = null;
    this.lapsed = false;
    this.events = [];
    this.revisions = [];
    const abort = new AbortController();
    this.abort = abort;
    render(
      this.root,
      h(
        'p',
        {},
        h(
          'a',
          {
            href: '?view=bookings',
            onclick: (e: Event) => {
              e.preventDefault();
              this.host.openBookings();
            },
          },
          '← Bookings',
        ),
      ),
      h('h2', {}, `Booking ${ref}`),
      this.head,
      this.shipment,
    );
    render(this.head, h('p', { class: 'loading', role: 'status' }, 'Loading the booking…'));
    try {
      const [b, events, revisions] = await Promise.all([getBooking(ref), eventsOf(ref), etaOf(ref)]);
      if (abort.signal.aborted) return;
      this.booking = b;
      this.events = orderedEvents([...events, ...this.events]);
      this.revisions = revisions;
    } catch (e) {
      if (abort.signal.aborted) return;
      render(this.head, h('div', { class: 'error-box', role: 'alert' }, message(e)));
      return;
    }
    this.drawHead();
    this.drawShipment();
    void this.drawMap();
    this.timers.push(window.setInterval(() => this.tick(), 1000));
    // Operators answer elsewhere: while the booking waits for them, its status is read again.
    this.timers.push(window.setInterval(() => void this.reloadIfOpen(), 15_000));
    void followEvents(
      ref,
      abort.signal,
      (m) => {
        if (m.event === 'tnt') this.onEvent(m.data);
        else if (m.event === 'eta') void this.onEta();
      },
      (live, why) => {
        this.live = live;
        this.liveWhy = why ?? '';
        this.drawLive();
      },
    );
  }

  hide(): void {
    this.abort?.abort();
    this.abort = null;
    for (const t of this.timers) window.clearInterval(t);
    this.timers = [];
    this.map.showPosition(null);
  }

  /** Reads the booking again (after an answer elsewhere, or on demand). */
  async reload(): Promise<void> {
    if (!this.ref) return;
    try {
      this.booking = await getBooking(this.ref);
      this.drawHead();
      this.drawShipment();
    } catch (e) {
      this.host.announce(message(e));
    }
  }

  private async reloadIfOpen(): Promise<void> {
    if (this.booking && OPEN.includes(this.booking.bookingStatus)) await this.reload();
  }

  private onEvent(data: string): void {
    let e: TntEvent;
    try {
      e = JSON.parse(data) as TntEvent;
    } catch {
      return;
    }
    if (this.events.some((x) => x.eventID === e.eventID)) return;
    this.events = orderedEvents([...this.events, e]);
    this.host.announce(`New event: ${eventText(e)}.`);
    this.drawShipment();
    void this.drawMap();
  }

  private async onEta(): Promise<void> {
    try {
      this.revisions = await etaOf(this.ref);
      this.drawShipment();
      const alerts = this.revisions.at(-1)?.alerts ?? [];
      if (alerts.length) this.host.announce(`Alert: ${alerts.map((a) => a.message).join('; ')}`);
    } catch (e) {
      this.host.announce(message(e));
    }
  }

  private tick(): void {
    const b = this.booking;
    const el = this.head.querySelector('.countdown');
    if (!b || !el) return;
    const c = holdCountdown(b.holdExpiresAt, Date.now());
    el.textContent = c ? c.text : '';
    // Once per lapse: the server's sweep may take a moment to reject the booking.
    if (c?.expired && !this.lapsed) {
      this.lapsed = true;
      void this.reload();
    }
  }

  private drawHead(): void {
    const b = this.booking;
    if (!b) return;
    const c = b.bookingStatus === 'RECEIVED' ? holdCountdown(b.holdExpiresAt, Date.now()) : null;
    const held = b.legs.some((l) => l.status === 'held');
    render(
      this.head,
      h(
        'p',
        { class: 'booking-status' },
        statusBadge(b.bookingStatus),
        b.carrierBookingReference ? ` carrier booking ${b.carrierBookingReference}` : '',
      ),
      c
        ? h(
            'p',
            { class: 'hold' },
            held ? 'Slots held until ' : 'Waiting for the operators until ',
            localDateTime(iso(b.holdExpiresAt ?? '')),
            ' — ',
            h('strong', { class: 'countdown', 'aria-live': 'off' }, c.text),
            c.expired ? '' : ' left, unless every operator confirms its legs.',
          )
        : null,
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'table booking-legs' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Leg', 'Route and operator', 'Departure', 'Status'].map((x) => h('th', { scope: 'col' }, x)),
            ),
          ),
          h(
            'tbody',
            {},
            legRows(b.legs).map((r) =>
              h(
                'tr',
                { 'data-leg': r.seq, 'data-status': r.status },
                h('td', { class: 'num' }, r.seq),
                h('td', {}, r.route),
                h('td', {}, r.operators),
                h('td', {}, r.departure, h('span', { class: 'sub' }, localDateTime(r.departsAt))),
                h('td', {}, h('span', { class: `leg-status leg-${r.status}` }, r.statusText)),
              ),
            ),
          ),
        ),
      ),
      OPEN.includes(b.bookingStatus)
        ? h(
            'p',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                class: 'secondary small',
                onclick: async () => {
                  try {
                    await cancelBooking(b.carrierBookingRequestReference);
                    this.host.announce(
                      `Booking ${b.carrierBookingRequestReference} cancelled; its slots are released.`,
                    );
                    await this.reload();
                  } catch (e) {
                    this.host.announce(message(e));
                  }
                },
              },
              'Cancel booking',
            ),
            h('button', { type: 'button', class: 'secondary small', onclick: () => void this.reload() }, 'Refresh'),
          )
        : null,
    );
  }

  private drawLive(): void {
    const el = this.shipment.querySelector('.live');
    if (!el) return;
    el.setAttribute('data-live', String(this.live));
    el.textContent = this.live
      ? 'live'
      : this.liveWhy.includes('not retried')
        ? `not live (${this.liveWhy})`
        : `reconnecting${this.liveWhy ? ` (${this.liveWhy})` : ''}…`;
  }

  private drawShipment(): void {
    const b = this.booking;
    if (!b) return;
    const pos = lastKnownPosition(b.legs, this.events);
    const current = this.revisions.at(-1) ?? null;
    const alerts = alertsOf(this.revisions);
    render(
      this.shipment,
      h(
        'h3',
        {},
        'Shipment ',
        h('span', { class: 'live', 'data-live': String(this.live) }, this.live ? 'live' : 'connecting…'),
      ),
      h(
        'p',
        { class: 'position' },
        pos ? `Last known position: ${pos.text}, ${localDateTime(pos.time)}.` : 'No actual milestone reported yet.',
      ),
      h(
        'section',
        { class: 'detail-section', 'aria-labelledby': 'eta-h' },
        h('h4', { id: 'eta-h' }, 'Arrival forecast'),
        current
          ? h(
              'dl',
              { class: 'facts eta-now' },
              h('dt', {}, 'P10'),
              h('dd', {}, when(current.p10)),
              h('dt', {}, 'P50'),
              h('dd', {}, when(current.p50)),
              h('dt', {}, 'P90'),
              h('dd', {}, when(current.p90)),
            )
          : h(
              'p',
              { class: 'note' },
              'The arrival is re-forecast from where the container is after each milestone event; none yet.',
            ),
        this.chart(),
      ),
      alerts.length
        ? h(
            'section',
            { class: 'detail-section', 'aria-labelledby': 'alerts-h' },
            h('h4', { id: 'alerts-h' }, `Alerts (${alerts.length})`),
            h(
              'ul',
              { class: 'alerts' },
              alerts.map((a) => h('li', { class: `alert alert-${a.kind}` }, h('strong', {}, a.kind), ` ${a.message}`)),
            ),
          )
        : null,
      h(
        'section',
        { class: 'detail-section', 'aria-labelledby': 'timeline-h' },
        h('h4', { id: 'timeline-h' }, 'Timeline: planned and actual'),
        h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { class: 'table milestones' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Leg', '', 'At', 'Planned', 'Actual / estimated', ''].map((x) => h('th', { scope: 'col' }, x)),
              ),
            ),
            h(
              'tbody',
              {},
              timeline(b.legs, this.events).map((r) =>
                h(
                  'tr',
                  { class: r.actual ? 'done' : '', 'data-milestone': `${r.leg}-${r.milestone}` },
                  h('td', { class: 'num' }, r.leg),
                  h('td', {}, r.milestone),
                  h('td', {}, r.place),
                  h('td', {}, when(r.planned)),
                  h(
                    'td',
                    { class: 'actual' },
                    r.actual ? when(r.actual) : r.estimated ? `est. ${when(r.estimated)}` : '—',
                  ),
                  h('td', { class: 'num' }, signedH(r.deltaH)),
                ),
              ),
            ),
          ),
        ),
      ),
      h(
        'details',
        { class: 'events', open: this.events.length > 0 && this.events.length <= 10 },
        h('summary', {}, `Events (${this.events.length})`),
        h(
          'ol',
          {},
          this.events.map((e) =>
            h('li', { 'data-event': e.eventID }, `${localDateTime(e.eventDateTime)} — ${eventText(e)}`),
          ),
        ),
      ),
    );
  }

  private chart(): SVGElement | null {
    const c = etaChart(this.revisions);
    if (!c.points.length) return null;
    const { plot } = c;
    return svg(
      'svg',
      {
        class: 'eta-chart',
        viewBox: `0 0 ${c.width} ${c.height}`,
        role: 'img',
        'aria-label': `Arrival P10–P90 band over ${c.points.length} forecast revision(s)`,
      },
      c.yTicks.map((t) => [
        svg('line', { class: 'grid', x1: plot.left, x2: plot.right, y1: t.y, y2: t.y }),
        svg('text', { class: 'tick', x: plot.left - 4, y: t.y + 3, 'text-anchor': 'end' }, t.label),
      ]),
      c.xTicks.map((t) =>
        svg('text', { class: 'tick', x: t.x, y: plot.bottom + 14, 'text-anchor': 'middle' }, t.label),
      ),
      svg('path', { class: 'eta-band', d: c.band }),
      svg('path', { class: 'eta-p50', d: c.p50 }),
      c.points.map((p) =>
        svg(
          'circle',
          { class: 'eta-point', cx: p.x, cy: p.y, r: 3 },
          svg('title', {}, `rev ${p.revision}: P50 ${p.p50}`),
        ),
      ),
      svg(
        'text',
        { class: 'axis-label', x: (plot.left + plot.right) / 2, y: c.height - 2, 'text-anchor': 'middle' },
        'forecast made at (latest milestone)',
      ),
    );
  }

  private async drawMap(): Promise<void> {
    const b = this.booking;
    if (!b) return;
    let net: Network;
    try {
      net = await this.host.network();
    } catch {
      return;
    }
    if (this.booking !== b) return;
    const links = new Map<string, LinkEnds>();
    const names = new Map<string, string>();
    for (const f of net.features) {
      const p = f.properties as {
        featureType: string;
        id: string;
        from?: string;
        to?: string;
        mode?: string;
        name?: string;
      };
      if (p.featureType === 'link' && p.from && p.to) links.set(p.id, { from: p.from, to: p.to, mode: p.mode ?? '' });
      if (p.featureType === 'location' && p.name) names.set(p.id, p.name);
    }
    const legs = [...b.legs].sort((x, y) => x.seq - y.seq);
    const first = legs[0];
    const last = legs[legs.length - 1];
    if (!first || !last) return;
    const name = (id: string) => names.get(id) ?? id;
    const places: DrawnPlace[] = [
      { id: first.from, name: name(first.from), role: 'origin' },
      ...legs.slice(1).map((l) => ({ id: l.from, name: name(l.from), role: 'stop' as const })),
      { id: last.to, name: name(last.to), role: 'destination' },
    ];
    this.map.showRoute(
      itineraryLinks(legs, links),
      places,
      `booking ${b.carrierBookingRequestReference}, ${name(first.from)} to ${name(last.to)}`,
    );
    const pos = lastKnownPosition(b.legs, this.events);
    this.map.showPosition(pos?.at ?? null, pos ? `${pos.phase} ${name(pos.at)}` : '');
  }
}
