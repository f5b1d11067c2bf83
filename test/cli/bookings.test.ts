/** `corridor bookings …` on a SQLite database: hold, show, confirm as each operator, cancel, list. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson } from '../helpers/cli.js';

describe('corridor bookings', () => {
  const db = `sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-bk-cli-')), 'b.sqlite')}`;
  it('holds every leg, each operator confirms its own, cancel releases; errors name what is wrong', async () => {
    const b = await cliJson(
      'bookings',
      'hold',
      '--from',
      'CNXIA',
      '--to',
      'AZBAK',
      '--date',
      '2026-12-08',
      '--containers',
      '2',
      '--database',
      db,
    );
    expect(b.status).toBe('RECEIVED');
    expect(b.legs[0]).toMatchObject({ status: 'held', teu: 4, operators: ['china-railway'] });
    const operators = [...new Set<string>(b.legs.map((l: any) => l.operators[0]))];
    let last: any;
    for (const op of operators)
      last = await cliJson('bookings', 'confirm', b.reference, '--operator', op, '--database', db);
    expect(last.status).toBe('CONFIRMED');
    const shown = await cli('bookings', 'show', b.reference, '--database', db);
    expect(shown.stdout).toMatch(/CONFIRMED/);
    expect(shown.stdout).toMatch(/RECEIVED → CONFIRMED/);
    const again = await cli('bookings', 'confirm', b.reference, '--operator', 'ady', '--database', db);
    expect(again.status).toBe(3);
    expect(again.stderr).toMatch(/already answered|CONFIRMED/);
    const cancelled = await cliJson('bookings', 'cancel', b.reference, '--database', db);
    expect(cancelled.status).toBe('CANCELLED');
    expect(cancelled.legs.filter((l: any) => l.status === 'released').length).toBe(b.legs.length);
    const list = await cliJson('bookings', 'list', '--database', db);
    expect(list.map((x: any) => x.reference)).toEqual([b.reference]);
    const missing = await cli('bookings', 'show', 'BRNOPE', '--database', db);
    expect(missing.status).toBe(4);
    const bad = await cli('bookings', 'hold', '--routing', 'CRNOPE', '--database', db);
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringMatching(/routingReference "CRNOPE"/)]);
  });
});
