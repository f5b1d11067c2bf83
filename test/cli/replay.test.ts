/**
 * `corridor replay FILE`: the example stream (a train held on the way to Aktau misses its ferry)
 * through the live forecast, end to end in-process: each milestone a forecast revision, the late
 * arrival moves the P90 later with an eta-later alert, the repeated
 * event is a duplicate; JSON and NDJSON files give the same answer; bad files name the place.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson } from '../helpers/cli.js';

const EXAMPLE = new URL('../../examples/replay-xian-baku.json', import.meta.url).pathname;
const EXAMPLE_NDJSON = new URL('../../examples/replay-xian-baku.ndjson', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'corridor-replay-'));

describe('corridor replay', () => {
  it('prints every ETA revision and alert of the example; the missed ferry moves the P90 later', async () => {
    const r = await cliJson('replay', EXAMPLE);
    expect(r.booking).toBe('REPLAY-XIAN-BAKU');
    expect(r.legs.map((l: any) => l.from)).toEqual(['CNXIA', 'KZDOS', 'KZAAU', 'AZALA']);
    expect(r.steps).toHaveLength(12);
    expect(r.steps.filter((s: any) => s.outcome === 'duplicate')).toHaveLength(1);
    const revised = r.steps.filter((s: any) => s.revision);
    // Every accepted milestone (the transport events and the loads/discharges) re-forecasts.
    expect(revised.length).toBeGreaterThanOrEqual(8);
    const revs = revised.map((s: any) => s.revision.revision);
    expect(revs).toEqual([...revs].sort((a: number, b: number) => a - b));
    const late = r.steps.find((s: any) => s.typeCode === 'ARRI' && s.locode === 'KZAAU' && s.outcome === 'accepted');
    expect(late.revision.p90ShiftH).toBeGreaterThan(12);
    expect(late.revision.alerts.map((a: any) => a.kind)).toContain('eta-later');
    expect(Date.parse(r.final.p90)).toBeGreaterThan(Date.parse(r.planned.p90));
    // At the destination the band has closed on the actual arrival.
    const last = r.steps[r.steps.length - 1];
    expect(last.revision.p10).toBe(last.revision.p90);
    expect(Date.parse(last.revision.p50)).toBe(Date.parse(last.eventDateTime));
    expect(r.alerts).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('reads the same stream as NDJSON; prints a table without --json', async () => {
    const a = await cliJson('replay', EXAMPLE);
    const b = await cliJson('replay', EXAMPLE_NDJSON);
    expect(b).toEqual(a);
    const t = await cli('replay', EXAMPLE);
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/^Replay of REPLAY-XIAN-BAKU: CNXIA → AZBAK, 4 legs/);
    expect(t.stdout).toMatch(/ALERT eta-later: P90 arrival moved/);
    expect(t.stdout).toMatch(/leg 1 {2}CNXIA → KZDOS {2}xian-dostyk-block-train {2}2026-03-02 14:00Z/);
  }, 60_000);

  it('names what is wrong with a bad file', async () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(
      bad,
      `${JSON.stringify({ format: 'corridor-replay/1', plan: { from: "Xi'an", to: 'Baku' } })}\n` +
        `${JSON.stringify({ eventID: 'x', eventType: 'TRANSPORT' })}\nnot json\n`,
    );
    const r = await cli('replay', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.ndjson: header\.plan: needs from, to and ready/);
    expect(r.stderr).toMatch(/bad\.ndjson:2\.eventID/);
    expect(r.stderr).toMatch(/bad\.ndjson:3: not a JSON object/);
    const arr = join(dir, 'array.json');
    writeFileSync(arr, '[]');
    expect((await cli('replay', arr)).stderr).toMatch(/a bare array has no plan/);
    expect((await cli('replay', join(dir, 'missing.json'))).stderr).toMatch(/no such file/);
  });
});
