/**
 * "Bookings": the bookings the key sees ("My bookings", paged) and, for an operator, its
 * departures board — utilisation per departure of its services (capacity, held, booked,
 * remaining) and the bookings touching its legs, to confirm or decline.
 */
import { apiKey } from '../api/client';
import { h, render } from '../dom';
import { int, localDateTime, pct } from '../format';
import { answer, departuresOf, moreBookings, type OperatorInfo, operators, operatorServices } from './api';
import { type BookingSummary, bookingLine, canAnswer, holdCountdown, type Paged, utilisationRows } from './model';

export interface BookingsHost {
  openBooking(ref: string): void;
  chooseOperator(operator: string): void;
  openSettings(): void;
  announce(message: string): void;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `badge status status-${status.toLowerCase()}` }, status);
}

export class BookingsView {
  private mine: Paged<BookingSummary> | null = null;
  private operatorList: Promise<OperatorInfo[]> | null = null;
  private run = 0;
  private readonly list = h('section', { class: 'detail-section', 'aria-labelledby': 'my-bookings-h' });
  private readonly board = h('section', { class: 'detail-section board', 'aria-labelledby': 'board-h' });

  constructor(
    private readonly root: HTMLElement,
    private readonly host: BookingsHost,
  ) {}

  async show(operator: string): Promise<void> {
    const run = ++this.run;
    this.mine = null;
    render(
      this.root,
      h('h2', {}, 'Bookings'),
      apiKey()
        ? null
        : h(
            'div',
            { class: 'error-box', role: 'alert' },
            'Bookings need an API key: a shipper’s (planner role) to book and follow its bookings, an ' +
              'operator’s to answer for its legs. ',
            h(
              'button',
              { type: 'button', class: 'secondary small', onclick: () => this.host.openSettings() },
              'API key',
            ),
          ),
      this.list,
      this.board,
    );
    await Promise.all([this.loadMine(run), this.drawBoard(run, operator)]);
  }

  private async loadMine(run: number): Promise<void> {
    if (!apiKey()) {
      render(this.list, h('h3', { id: 'my-bookings-h' }, 'My bookings'), h('p', { class: 'note' }, 'No key given.'));
      return;
    }
    render(this.list, h('h3', { id: 'my-bookings-h' }, 'My bookings'), h('p', { class: 'loading' }, 'Loading…'));
    try {
      const page = await moreBookings(this.mine);
      if (run !== this.run) return;
      this.mine = page;
      this.drawMine(run);
    } catch (e) {
      if (run !== this.run) return;
      render(
        this.list,
        h('h3', { id: 'my-bookings-h' }, 'My bookings'),
        h('p', { class: 'error-box', role: 'alert' }, message(e)),
      );
    }
  }

  private drawMine(run: number): void {
    const page = this.mine;
    if (!page) return;
    const now = Date.now();
    render(
      this.list,
      h('h3', { id: 'my-bookings-h' }, `My bookings (${page.items.length}${page.next ? '+' : ''})`),
      page.items.length
        ? h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              { class: 'table my-bookings' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Booking', 'Status', 'Itinerary', 'Hold'].map((c) => h('th', { scope: 'col' }, c)),
                ),
              ),
              h(
                'tbody',
                {},
                page.items.map((b) => {
                  const c = b.bookingStatus === 'RECEIVED' ? holdCountdown(b.holdExpiresAt, now) : null;
                  return h(
                    'tr',
                    { 'data-booking': b.carrierBookingRequestReference },
                    h('td', {}, this.link(b.carrierBookingRequestReference)),
                    h('td', {}, statusBadge(b.bookingStatus)),
                    h('td', {}, bookingLine(b)),
                    h('td', { class: 'num' }, c ? c.text : '—'),
                  );
                }),
              ),
            ),
          )
        : h('p', { class: 'note' }, 'No bookings yet: plan a route with a ready date and press Book on an option.'),
      page.next
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary small',
              onclick: async () => {
                try {
                  this.mine = await moreBookings(this.mine);
                  if (run === this.run) this.drawMine(run);
                } catch (e) {
                  this.host.announce(message(e));
                }
              },
            },
            'More bookings',
          )
        : null,
    );
  }

  private link(ref: string): HTMLElement {
    return h(
      'a',
      {
        href: `?view=booking&booking=${encodeURIComponent(ref)}`,
        onclick: (e: Event) => {
          e.preventDefault();
          this.host.openBooking(ref);
        },
      },
      ref,
    );
  }

  private async drawBoard(run: number, operator: string): Promise<void> {
    this.operatorList ??= operators().catch((e: unknown) => {
      this.operatorList = null;
      throw e;
    });
    let ops: OperatorInfo[];
    try {
      ops = await this.operatorList;
    } catch (e) {
      render(this.board, h('h3', { id: 'board-h' }, 'Departures board'), h('p', { class: 'error-box' }, message(e)));
      return;
    }
    if (run !== this.run) return;
    const select = h(
      'select',
      {
        id: 'board-operator',
        onchange: (e: Event) => this.host.chooseOperator((e.target as HTMLSelectElement).value),
      },
      h('option', { value: '' }, '(choose)'),
      ops.map((o) => h('option', { value: o.id, selected: o.id === operator }, `${o.id} — ${o.names[0] ?? o.id}`)),
    );
    const body = h('div', { class: 'board-body' });
    render(
      this.board,
      h('h3', { id: 'board-h' }, 'Departures board'),
      h(
        'p',
        { class: 'note' },
        'For operators: the utilisation of your departures and the bookings on your legs, to confirm or decline ' +
          '(an operator key answers for its own operator only).',
      ),
      h('label', { for: 'board-operator' }, 'Operator'),
      select,
      body,
    );
    const op = ops.find((o) => o.id === operator);
    if (!op) return;
    render(body, h('p', { class: 'loading' }, 'Loading the board…'));
    const [deps, booked] = await Promise.allSettled([
      op.serviceCount > 0 ? operatorServices(op.id).then(departuresOf) : Promise.resolve([]),
      apiKey() ? moreBookings(null, op.id) : Promise.reject(new Error('Answering bookings needs an operator key.')),
    ]);
    if (run !== this.run) return;
    render(body, this.departuresTable(op, deps), this.toAnswer(run, op, booked));
  }

  private departuresTable(op: OperatorInfo, r: PromiseSettledResult<Awaited<ReturnType<typeof departuresOf>>>) {
    if (r.status === 'rejected') return h('p', { class: 'error-box' }, message(r.reason));
    if (op.serviceCount === 0)
      return h('p', { class: 'note' }, `${op.id} publishes no service: its legs are booked on request.`);
    const rows = utilisationRows(r.value);
    return h(
      'div',
      {},
      h('h4', {}, `Departures, next 14 days (${rows.length})`),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'table departures-board' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, 'Departure'),
              ['TEU', 'Held', 'Booked', 'Left'].map((c) => h('th', { scope: 'col', class: 'num' }, c)),
              h('th', { scope: 'col' }, 'Used'),
            ),
          ),
          h(
            'tbody',
            {},
            rows.map((d) =>
              h(
                'tr',
                { 'data-departure': d.id, class: d.busy ? 'busy' : '' },
                h('td', {}, localDateTime(d.departsAt), h('span', { class: 'sub' }, d.service)),
                h('td', { class: 'num' }, d.capacityTeu === null ? 'on request' : int(d.capacityTeu)),
                h('td', { class: 'num held' }, int(d.heldTeu)),
                h('td', { class: 'num booked' }, int(d.bookedTeu)),
                h('td', { class: 'num' }, d.remainingTeu === null ? '—' : int(d.remainingTeu)),
                h(
                  'td',
                  {},
                  d.share === null
                    ? '—'
                    : h(
                        'span',
                        { class: 'util', style: `--share: ${d.share}`, title: pct(d.share) },
                        h('span', { class: 'util-text' }, pct(d.share)),
                      ),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }

  private toAnswer(run: number, op: OperatorInfo, r: PromiseSettledResult<Paged<BookingSummary>>): HTMLElement {
    if (r.status === 'rejected') return h('p', { class: 'error-box', role: 'alert' }, message(r.reason));
    const items = r.value.items;
    const open = items.filter((b) => canAnswer(b, op.id));
    const status = h('p', { class: 'board-status', role: 'status' });
    const act = async (b: BookingSummary, action: 'confirm' | 'decline') => {
      try {
        const after = await answer(op.id, b.carrierBookingRequestReference, action);
        this.host.announce(
          `${action === 'confirm' ? 'Confirmed' : 'Declined'} ${op.id}'s legs of ` +
            `${b.carrierBookingRequestReference}: the booking is ${after.bookingStatus}.`,
        );
        if (run === this.run) void this.show(op.id);
      } catch (e) {
        status.textContent = message(e);
      }
    };
    return h(
      'div',
      {},
      h('h4', {}, `Bookings on ${op.id}'s legs (${open.length} to answer of ${items.length})`),
      status,
      items.length
        ? h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              { class: 'table operator-bookings' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Booking', 'Status', 'Your legs', ''].map((c) => h('th', { scope: 'col' }, c)),
                ),
              ),
              h(
                'tbody',
                {},
                items.map((b) =>
                  h(
                    'tr',
                    { 'data-booking': b.carrierBookingRequestReference },
                    h('td', {}, this.link(b.carrierBookingRequestReference)),
                    h('td', {}, statusBadge(b.bookingStatus)),
                    h(
                      'td',
                      {},
                      b.legs.map((l) =>
                        h(
                          'span',
                          { class: 'sub' },
                          `${l.seq}. ${l.from} → ${l.to} ${l.departure ?? 'on request'}: ${l.status}`,
                        ),
                      ),
                    ),
                    h(
                      'td',
                      { class: 'actions' },
                      canAnswer(b, op.id)
                        ? [
                            h(
                              'button',
                              { type: 'button', class: 'primary small', onclick: () => act(b, 'confirm') },
                              'Confirm',
                            ),
                            h(
                              'button',
                              { type: 'button', class: 'secondary small', onclick: () => act(b, 'decline') },
                              'Decline',
                            ),
                          ]
                        : null,
                    ),
                  ),
                ),
              ),
            ),
          )
        : h('p', { class: 'note' }, 'No bookings touch these legs.'),
    );
  }
}
