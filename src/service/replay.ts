/**
 * Replays a recorded or simulated event stream through the live forecast (`corridor replay`):
 * the shipment is one itinerary of a plan (the booking it stands for), the events go through the
 * same ingestion as `POST /v2/events` — deduplicated, placed on the legs, impossible sequences
 * flagged — one at a time in the file's order, and every forecast revision and alert they cause
 * is reported. Nothing is stored: the records live in memory for the run.
 *
 * The file format (docs/formats/replay.md) is parsed by the edge; events arrive validated.
 */
import { z } from 'zod';
import { CorridorError } from '../model/errors.js';
import type { Alert } from '../tracking/alerts.js';
import { bookingReferences, type DcsaEvent, eventLocode, eventTypeCode } from '../tracking/events.js';
import type { RawOptions } from './fields.js';
import { MemoryTracking } from './memory-tracking.js';
import type { CorridorService } from './service.js';
import { type ForecastBody, type IngestOutcome, type TrackedShipment, TrackingService } from './tracking.js';

export type { DcsaEvent };

export const REPLAY_FORMAT = 'corridor-replay/1';

/** The header of a replay file: the plan and itinerary the events are about. */
export const ReplayHeaderSchema = z
  .object({
    format: z.literal(REPLAY_FORMAT),
    reference: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,35}$/, 'letters, digits, _ or -, at most 35')
      .default('REPLAY')
      .describe('The booking reference the events name (BKG); events naming none get it'),
    plan: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .refine((p) => 'from' in p && 'to' in p && 'ready' in p, 'needs from, to and ready (as for corridor plan)')
      .describe('The plan request, as the options of `corridor plan` / GET /api/v1/plans (from, to, ready, …)'),
    itinerary: z
      .number()
      .int()
      .min(0)
      .max(50)
      .default(0)
      .describe('Which itinerary of the plan was booked (0 = first)'),
  })
  .strict();
export type ReplayHeader = z.infer<typeof ReplayHeaderSchema>;

export interface ReplayRevision {
  revision: number;
  position: ForecastBody['position'];
  p10: string | null;
  p50: string | null;
  p90: string | null;
  /** Hours the P90 moved from the previous revision (null for the first). */
  p90ShiftH: number | null;
  connections: ForecastBody['connections'];
  alerts: Alert[];
}

export interface ReplayStep {
  index: number;
  eventID: string;
  eventType: string;
  typeCode: string;
  classifier: string;
  locode: string | null;
  eventDateTime: string;
  outcome: IngestOutcome;
  leg: number | null;
  flag: string | null;
  /** The forecast revision this event caused (null: it moved nothing — not a milestone, flagged, or a duplicate). */
  revision: ReplayRevision | null;
}

export interface ReplayResult {
  booking: string;
  from: string;
  to: string;
  legs: { from: string; to: string; service: string | null; departure: string; arrival: string }[];
  planned: ReplayRevision;
  steps: ReplayStep[];
  final: ReplayRevision;
  alerts: number;
}

const ADMIN = { keyId: 'replay', role: 'admin' as const, operator: null };
const h = (iso: string | null) => (iso === null ? null : Date.parse(iso) / 3_600_000);

export async function replay(
  service: CorridorService,
  header: ReplayHeader,
  events: DcsaEvent[],
): Promise<ReplayResult> {
  const raw: RawOptions = Object.fromEntries(Object.entries(header.plan).map(([k, v]) => [k, String(v)]));
  const answer = service.plan(await service.preparePlan({ ...raw, samples: '1' }));
  const it = answer.itineraries[header.itinerary];
  if (!it)
    throw new CorridorError(
      'no-route',
      `the plan has ${answer.itineraries.length} itinerar${answer.itineraries.length === 1 ? 'y' : 'ies'}; ` +
        `itinerary ${header.itinerary} does not exist (itinerary counts from 0)`,
      {},
      'itinerary',
    );
  const links = new Map(service.world.dataset.links.map((l) => [l.id, l]));
  const shipment: TrackedShipment = {
    reference: header.reference,
    legs: it.legs.map((l) => ({
      from: l.from,
      to: l.to,
      operator: l.service?.operator ?? links.get(l.linkIds[0] ?? '')?.operator ?? '',
      service: l.service?.id ?? null,
    })),
    planRequest: raw,
    legKeys: it.legs.map((l) => ({
      service: l.service?.id ?? null,
      departure: new Date(Date.parse(l.departure)).toISOString(),
    })),
  };
  const records = new MemoryTracking();
  const tracking = new TrackingService(service, records, {
    find: async (refs) => new Map(refs.filter((r) => r === shipment.reference).map((r) => [r, shipment])),
    visibleTo: async () => 'all',
  });
  let failure: unknown;
  tracking.onError = (e) => {
    failure ??= e;
  };
  let last: ReplayRevision | null = null;
  const latest = async (): Promise<ReplayRevision | null> => {
    await tracking.settled();
    if (failure) throw failure;
    const list = await records.listForecasts(shipment.reference);
    const r = list[list.length - 1];
    if (!r || (last && r.revision === last.revision)) return null;
    const b = r.body as unknown as ForecastBody;
    const prevP90 = last ? h(last.p90) : null;
    const p90 = h(b.p90);
    last = {
      revision: r.revision,
      position: b.position,
      p10: b.p10,
      p50: b.p50,
      p90: b.p90,
      p90ShiftH: prevP90 === null || p90 === null ? null : Math.round((p90 - prevP90) * 10) / 10,
      connections: b.connections,
      alerts: b.alerts,
    };
    return last;
  };

  tracking.requestForecast(shipment, null, it.departure);
  const planned = await latest();
  if (!planned)
    throw new CorridorError('no-route', `the booked itinerary could not be forecast (${it.legs.length} legs)`);
  const steps: ReplayStep[] = [];
  for (const [index, e0] of events.entries()) {
    const e: DcsaEvent = bookingReferences(e0).length
      ? e0
      : {
          ...e0,
          documentReferences: [
            ...(e0.documentReferences ?? []),
            { documentReferenceType: 'BKG', documentReferenceValue: shipment.reference },
          ],
        };
    const unknown = bookingReferences(e).filter((r) => r !== shipment.reference);
    if (unknown.length)
      throw new CorridorError(
        'invalid-argument',
        `event ${index + 1} (${e.eventID}) names booking ${unknown.join(', ')}; ` +
          `this replay is of ${shipment.reference}`,
        {},
        `events[${index}].documentReferences`,
      );
    const r = await tracking.ingest([e], ADMIN, e.eventCreatedDateTime);
    const item = r.items[0];
    const link = item?.bookings.find((b) => b.booking === shipment.reference);
    steps.push({
      index,
      eventID: e.eventID,
      eventType: e.eventType,
      typeCode: eventTypeCode(e),
      classifier: e.eventClassifierCode,
      locode: eventLocode(e),
      eventDateTime: e.eventDateTime,
      outcome: item?.outcome ?? 'conflict',
      leg: link?.leg ?? null,
      flag: link?.flag ?? null,
      revision: r.forecastsQueued.length ? await latest() : null,
    });
  }
  const final = last ?? planned;
  return {
    booking: shipment.reference,
    from: it.legs[0]?.from ?? '',
    to: it.legs[it.legs.length - 1]?.to ?? '',
    legs: it.legs.map((l) => ({
      from: l.from,
      to: l.to,
      service: l.service?.id ?? null,
      departure: l.departure,
      arrival: l.arrival,
    })),
    planned,
    steps,
    final,
    alerts: steps.reduce((n, s) => n + (s.revision?.alerts.length ?? 0), 0),
  };
}
