/** `corridor keys create --role operator --operator <id>`: checked against the dataset, the id stored. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { cli as corridor } from '../helpers/cli.js';

describe('corridor keys create --role operator', () => {
  const db = `sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-keys-')), 'k.sqlite')}`;
  it('binds the key to the operator id a name of the data gives', async () => {
    const r = await corridor(
      'keys',
      'create',
      '--role',
      'operator',
      '--operator',
      'ADY (Azerbaijan Railways)',
      '--json',
      '--database',
      db,
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ role: 'operator', operator: 'ady' });
  });
  it('refuses an unknown operator and a name of several, with exit 2 and no stack trace', async () => {
    const unknown = await corridor(
      'keys',
      'create',
      '--role',
      'operator',
      '--operator',
      'nobody-rail',
      '--database',
      db,
    );
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/not an operator of the data; valid: .*china-railway/);
    const joint = await corridor('keys', 'create', '--role', 'operator', '--operator', 'ADY / RZD', '--database', db);
    expect(joint.status).toBe(2);
    expect(joint.stderr).toMatch(/names several operators \(ady, rzd\); give one id/);
    expect(joint.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
