/**
 * The DCSA mapping validates against the DCSA Commercial Schedules v1.0.3 OpenAPI component
 * schemas (../shared/standards/dcsa/CS_v1.0.3.yaml) with a JSON-Schema validator.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { compileNetwork } from '../../src/network/compile.js';
import { toDcsaPointToPoint, type DcsaPointToPoint } from '../../src/schedule/dcsa.js';
import { planItineraries } from '../../src/schedule/plan.js';
import { compileTimetable } from '../../src/schedule/timetable.js';

// The shared standards folder beside the checkout, else the vendored copy (test/api/dcsa.test.ts
// checks that the two are identical whenever the shared one is present).
const SPEC = [
  new URL('../../../shared/standards/dcsa/CS_v1.0.3.yaml', import.meta.url),
  new URL('../../../../shared/standards/dcsa/CS_v1.0.3.yaml', import.meta.url),
  new URL('../../vendor/dcsa/CS_v1.0.3.yaml', import.meta.url),
].find((u) => existsSync(u));
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** A validator for `#/components/schemas/<name>` of the spec (OpenAPI 3.0 keywords tolerated). */
function validatorFor(name: string) {
  const spec = parse(readFileSync(SPEC!, 'utf8')) as { components: { schemas: Record<string, unknown> } };
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (x: number) => Number.isInteger(x) && Math.abs(x) < 2 ** 31 });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addSchema({ components: spec.components }, 'cs.json');
  return ajv.getSchema(`cs.json#/components/schemas/${name}`)!;
}

describe('DCSA Commercial Schedules v1.0.3 point-to-point', () => {
  const spec = SPEC !== undefined;
  const validate = spec ? validatorFor('PointToPoint') : undefined;
  const { dataset } = loadDataset();
  const plans = (from: string, to: string, scenario?: string) => {
    const net = compileNetwork(dataset, scenario ? { scenario } : {});
    return planItineraries(compileTimetable(net, dataset), {
      from,
      to,
      ready: '2025-01-06T08:00',
      samples: 100,
    }).itineraries.map((it) => toDcsaPointToPoint(it, dataset.locations));
  };
  const cases = [
    ...plans("Xi'an", 'Baku'),
    ...plans("Xi'an", 'Duisburg'),
    ...plans('Kuryk', 'Alat'),
    ...plans('Shanghai', 'Rotterdam'),
  ];

  it('finds the spec', () => expect(spec).toBe(true));

  it('validates every routing of several plans against the PointToPoint schema', () => {
    expect(cases.length).toBeGreaterThan(8);
    for (const p of cases) {
      const ok = validate!(p);
      expect(ok, JSON.stringify(validate!.errors, null, 1)).toBe(true);
    }
  });

  it('rejects a broken routing (the check can fail)', () => {
    const broken = JSON.parse(JSON.stringify(cases[0])) as DcsaPointToPoint;
    (broken.legs[0]!.transport as { modeOfTransport: string }).modeOfTransport = 'FERRY';
    broken.placeOfReceipt.dateTime = '2025-01-06 08:00';
    expect(validate!(broken)).toBe(false);
    expect(validate!({ ...cases[0], legs: [] })).toBe(false);
  });

  it('maps modes, UN/LOCODEs, cut-offs, calls and transit time', () => {
    const xianBaku = cases[0]!;
    expect(xianBaku.legs.map((l) => l.transport.modeOfTransport)).toEqual(['RAIL', 'RAIL', 'VESSEL', 'RAIL']);
    expect(xianBaku.placeOfReceipt.location).toEqual({ locationName: "Xi'an", UNLocationCode: 'CNXIA' });
    expect(xianBaku.placeOfDelivery.location.UNLocationCode).toBe('AZBAK');
    expect(xianBaku.cutOffTimes?.[0]?.cutOffDateTimeCode).toBe('FCO');
    expect(xianBaku.legs[0]!.intermediateCalls!.map((c) => c.location.locationName)).toEqual(['Urumqi', 'Alashankou']);
    expect(xianBaku.legs[2]!.departure.facilityTypeCode).toBe('POTE');
    expect(xianBaku.transitTime).toBeGreaterThanOrEqual(11);
    expect(xianBaku.transitTime).toBeLessThanOrEqual(13);
  });
});
