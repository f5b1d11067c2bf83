/**
 * The bookings and track & trace endpoints the page calls (docs/api.md "Bookings", "Track &
 * Trace"), and the booking's live event stream read with fetch: EventSource cannot send the API
 * key, so the stream is parsed by SseParser and resumed with Last-Event-ID after a drop.
 */
import { apiKey, request } from '../api/client';
import { appendPage, type BookingSummary, bookingRequest, type Departure, type Paged } from './model';
import { type EtaRevision, SseParser, type SseMessage, type TntEvent } from './tracking';

const enc = encodeURIComponent;
const PAGE = 10;

/** Books a planned itinerary; the Idempotency-Key makes a retried click book once. */
export async function book(routingReference: string, containers: number, idempotencyKey: string): Promise<string> {
  const r = await request<{ carrierBookingRequestReference: string }>(
    'POST',
    '/v2/bookings',
    bookingRequest(routingReference, containers, 'Corridor web planner'),
    'Booking',
    { 'idempotency-key': idempotencyKey },
  );
  return r.data.carrierBookingRequestReference;
}

export async function getBooking(ref: string): Promise<BookingSummary> {
  return (await request<BookingSummary>('GET', `/api/v1/bookings/${enc(ref)}`, undefined, 'Loading the booking')).data;
}

export async function cancelBooking(ref: string): Promise<void> {
  await request('PATCH', `/v2/bookings/${enc(ref)}`, { bookingStatus: 'CANCELLED' }, 'Cancelling', {
    'idempotency-key': `cancel-${ref}`,
  });
}

/** One more page of "my bookings" (or, for an operator, of the bookings touching its legs). */
export async function moreBookings(prev: Paged<BookingSummary> | null, operator?: string) {
  const base = operator ? `/api/v1/operators/${enc(operator)}/bookings` : '/api/v1/bookings';
  const q = new URLSearchParams({ limit: String(PAGE) });
  if (prev?.next) q.set('cursor', prev.next);
  const r = await request<BookingSummary[]>('GET', `${base}?${q}`, undefined, 'Loading bookings');
  return appendPage(prev, r.data, r.headers.get('next-page-cursor'));
}

/** An operator's answer on its open legs of a booking. */
export async function answer(operator: string, ref: string, action: 'confirm' | 'decline'): Promise<BookingSummary> {
  const r = await request<BookingSummary>(
    'POST',
    `/api/v1/operators/${enc(operator)}/bookings/${enc(ref)}/${action}`,
    {},
    action === 'confirm' ? 'Confirming' : 'Declining',
    { 'idempotency-key': `${action}-${operator}-${ref}` },
  );
  return r.data;
}

export interface OperatorInfo {
  id: string;
  names: string[];
  serviceCount: number;
}

/** The operators of the data (the list gives counts; `operatorServices` the service ids of one). */
export async function operators(): Promise<OperatorInfo[]> {
  return (
    await request<{ operators: OperatorInfo[] }>('GET', '/api/v1/operators?limit=100', undefined, 'Loading operators')
  ).data.operators;
}

export async function operatorServices(id: string): Promise<string[]> {
  return (
    await request<{ services: string[] }>('GET', `/api/v1/operators/${enc(id)}`, undefined, 'Loading the operator')
  ).data.services;
}

/** The departures of the next 14 days (the API's default window) of some services. */
export async function departuresOf(services: readonly string[]): Promise<Departure[]> {
  const pages = await Promise.all(
    services.map((s) =>
      request<Departure[]>('GET', `/api/v1/departures?service=${enc(s)}&limit=20`, undefined, 'Loading departures'),
    ),
  );
  return pages.flatMap((p) => p.data);
}

/** Every event of a booking (spec's cursor paging, at most 20 pages of 100). */
export async function eventsOf(ref: string): Promise<TntEvent[]> {
  const out: TntEvent[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const q = new URLSearchParams({ carrierBookingReference: ref, limit: '100' });
    if (cursor) q.set('cursor', cursor);
    const r: { data: TntEvent[]; headers: Headers } = await request<TntEvent[]>(
      'GET',
      `/v2/events?${q}`,
      undefined,
      'Loading events',
    );
    out.push(...r.data);
    cursor = r.headers.get('next-page');
    if (!cursor) break;
  }
  return out;
}

export async function etaOf(ref: string): Promise<EtaRevision[]> {
  return (
    await request<{ revisions: EtaRevision[] }>('GET', `/api/v1/bookings/${enc(ref)}/eta`, undefined, 'Loading the ETA')
  ).data.revisions;
}

/**
 * Follows the booking's Server-Sent Events until `signal` aborts: each message to `onMessage`,
 * the connection state to `onState`. After a drop it waits `retryMs` and resumes from the last id.
 */
export async function followEvents(
  ref: string,
  signal: AbortSignal,
  onMessage: (m: SseMessage) => void,
  onState: (live: boolean, why?: string) => void,
  retryMs = 3000,
): Promise<void> {
  let lastId: string | null = null;
  while (!signal.aborted) {
    const parser = new SseParser();
    try {
      const key = apiKey();
      const res = await fetch(`/api/v1/bookings/${enc(ref)}/events/stream`, {
        headers: {
          accept: 'text/event-stream',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(lastId ? { 'last-event-id': lastId } : {}),
        },
        signal,
      });
      // A key that may not see the booking will not be let in by retrying: say so and stop.
      if (res.status === 401 || res.status === 403 || res.status === 404) {
        onState(false, `HTTP ${res.status}, not retried`);
        return;
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      onState(true);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const m of parser.push(value)) onMessage(m);
        lastId = parser.lastEventId ?? lastId;
      }
      onState(false, 'the stream ended');
    } catch (e) {
      if (signal.aborted) return;
      onState(false, e instanceof Error ? e.message : String(e));
    }
    await new Promise((r) => setTimeout(r, retryMs));
  }
}
