/**
 * DCSA Commercial Schedules v1.0.3: responses of GET /v1/point-to-point-routes validate against
 * the official OpenAPI specification (vendor/dcsa/CS_v1.0.3.yaml, = ../shared/standards/dcsa/).
 */
import { existsSync, readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApi, type TestApi } from '../helpers/api.js';

const SPEC = new URL('../../vendor/dcsa/CS_v1.0.3.yaml', import.meta.url).pathname;
const SHARED = new URL('../../../shared/standards/dcsa/CS_v1.0.3.yaml', import.meta.url).pathname;
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let api: TestApi;
let validate200: ValidateFunction;
let validateError: ValidateFunction;

beforeAll(async () => {
  api = await testApi();
  const spec = (await SwaggerParser.dereference(SPEC)) as any;
  const get = spec.paths['/v1/point-to-point-routes'].get;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  validate200 = ajv.compile(get.responses['200'].content['application/json'].schema);
  validateError = ajv.compile(get.responses['400'].content['application/json'].schema);
});
afterAll(() => api.close());

const p2p = (qs: string, headers: Record<string, string> = {}) =>
  api.get(`/v1/point-to-point-routes?${qs}`, undefined, headers);
const valid = (v: ValidateFunction, body: unknown) => {
  const ok = v(body);
  expect(ok, JSON.stringify(v.errors?.slice(0, 3))).toBe(true);
};

describe('DCSA point-to-point routes', () => {
  it('the spec validator rejects what the spec forbids (the check can fail)', () => {
    expect(validate200([{ legs: [] }])).toBe(false);
    expect(
      validate200([
        {
          placeOfReceipt: { facilityTypeCode: 'POTE', location: {}, dateTime: 'yesterday' },
          placeOfDelivery: {},
          legs: [{}],
        },
      ]),
    ).toBe(false);
    expect(validateError({ statusCode: 400 })).toBe(false);
  });

  it('vendored spec equals the shared standards copy', () => {
    if (existsSync(SHARED)) expect(readFileSync(SPEC, 'utf8')).toBe(readFileSync(SHARED, 'utf8'));
    else expect(readFileSync(SPEC, 'utf8')).toMatch(/version: 1\.0\.3/);
  });

  it(
    "Xi'an (CNXIA) → Duisburg (DEDUI): valid PointToPoint objects, API-Version header, legs continuous " +
      'in place and time',
    async () => {
      const r = await p2p('placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&departureStartDate=2026-03-02', {
        'api-version': '1',
      });
      expect(r.statusCode).toBe(200);
      expect(r.headers['api-version']).toBe('1.0.3');
      const body = json(r);
      valid(validate200, body);
      expect(body.length).toBeGreaterThan(1);
      for (const s of body) {
        expect(s.placeOfReceipt.location.UNLocationCode).toBe('CNXIA');
        expect(s.placeOfDelivery.location.UNLocationCode).toBe('DEDUI');
        expect(s.legs[0].departure.dateTime >= '2026-03-02').toBe(true);
        expect(s.placeOfReceipt.dateTime).toMatch(/^2026-0[34]-\d\dT\d\d:\d\d(:\d\d)?[+-]\d\d:\d\d$/);
        s.legs.forEach((leg: any, i: number) => {
          expect(leg.sequenceNumber).toBe(i + 1);
          expect(Date.parse(leg.arrival.dateTime)).toBeGreaterThan(Date.parse(leg.departure.dateTime));
          if (i > 0) {
            expect(leg.departure.location.locationName).toBe(s.legs[i - 1].arrival.location.locationName);
            expect(Date.parse(leg.departure.dateTime)).toBeGreaterThanOrEqual(
              Date.parse(s.legs[i - 1].arrival.dateTime),
            );
          }
        });
      }
      const modes = new Set(body.flatMap((s: any) => s.legs.map((l: any) => l.transport.modeOfTransport)));
      expect(modes.has('RAIL')).toBe(true);
    },
  );

  it(
    'are the timed itineraries of /api/v1/plans from 00:00 local time: same count, arrivals, transit ' +
      'time and CO2e',
    async () => {
      const plan = json(await api.get('/api/v1/plans?from=CNXIA&to=DEDUI&ready=2026-03-02T00:00&samples=1'));
      const body = json(await p2p('placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&departureStartDate=2026-03-02'));
      expect(body.length).toBe(plan.itineraries.length);
      body.forEach((s: any, i: number) => {
        const it = plan.itineraries[i];
        expect(s.solutionFootprint.co2e).toBeCloseTo(it.totals.co2eKg / 1000, 2);
        expect(Date.parse(s.placeOfDelivery.dateTime)).toBe(Date.parse(it.plannedArrival));
        expect(s.transitTime).toBe(Math.ceil(it.totals.durationH / 24));
        expect(s.legs.length).toBe(it.legs.length);
      });
    },
  );

  it('paginates with limit and Next-Page-Cursor, and refuses a cursor with changed filters', async () => {
    const q = 'placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&departureStartDate=2026-03-02';
    const all = json(await p2p(q));
    const first = await p2p(`${q}&limit=2`);
    expect(json(first)).toHaveLength(2);
    const cursor = first.headers['next-page-cursor'] as string;
    expect(cursor).toBeTruthy();
    const second = await p2p(`${q}&limit=2&cursor=${cursor}`);
    expect(json(second)).toEqual(all.slice(2, 4));
    const changed = await p2p(
      `placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&departureStartDate=2026-03-03&limit=2&cursor=${cursor}`,
    );
    expect(changed.statusCode).toBe(400);
    valid(validateError, json(changed));
    const last = await p2p(`${q}&limit=${all.length}`);
    expect(last.headers['next-page-cursor']).toBeUndefined();
  });

  it('maxTranshipment=0 keeps only routings without vessel-to-vessel transfers', async () => {
    const body = json(await p2p('placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&maxTranshipment=0'));
    valid(validate200, body);
    for (const s of body) {
      for (let i = 1; i < s.legs.length; i++) {
        expect(
          s.legs[i - 1].transport.modeOfTransport === 'VESSEL' && s.legs[i].transport.modeOfTransport === 'VESSEL',
        ).toBe(false);
      }
    }
  });

  it('filters by arrival dates', async () => {
    const all = json(await p2p('placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&departureStartDate=2026-03-02'));
    const cut = all[0].placeOfDelivery.dateTime.slice(0, 10);
    const early = json(
      await p2p(`placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&departureStartDate=2026-03-02&arrivalEndDate=${cut}`),
    );
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((s: any) => s.placeOfDelivery.dateTime.slice(0, 10) <= cut)).toBe(true);
  });

  it('only container-yard service: SD or CFS give an empty list', async () => {
    const r = await p2p('placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&receiptTypeAtOrigin=SD');
    expect(r.statusCode).toBe(200);
    expect(json(r)).toEqual([]);
  });

  it.each([
    ['placeOfReceipt=cnxia&placeOfDelivery=DEDUI', 'placeOfReceipt', 400],
    ['placeOfDelivery=DEDUI', 'placeOfReceipt', 400],
    ['placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&departureStartDate=2026-02-30', 'departureStartDate', 400],
    [
      'placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&departureStartDate=2026-03-05&departureEndDate=2026-03-01',
      'departureEndDate',
      400,
    ],
    ['placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&maxTranshipment=-1', 'maxTranshipment', 400],
    ['placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&cargoType=LIVESTOCK', 'cargoType', 400],
    ['placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&limit=0', 'limit', 400],
    ['placeOfReceipt=CNXIA&placeOfDelivery=DEDUI&cursor=garbage', 'cursor', 400],
    ['placeOfReceipt=CNXIA&placeOfDelivery=CNXIA', 'placeOfDelivery', 400],
    ['placeOfReceipt=CNXIA&placeOfDelivery=ZZZZZ', 'placeOfDelivery', 404],
  ])('%s → %s in a DCSA ErrorResponse (%i)', async (qs, property, status) => {
    const r = await p2p(qs);
    expect(r.statusCode).toBe(status);
    const body = json(r);
    valid(validateError, body);
    expect(body.errors.map((e: { property: string }) => e.property)).toContain(property);
    expect(body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  });

  it('refuses API-Version other than the major version 1', async () => {
    const r = await p2p('placeOfReceipt=CNXIA&placeOfDelivery=DEDUI', { 'api-version': '2' });
    expect(r.statusCode).toBe(400);
    valid(validateError, json(r));
  });
});
