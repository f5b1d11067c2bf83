/**
 * Defects found when Corridor was tried as a new user would (issue #11), each pinned by a test that
 * failed before its fix.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, cliJson } from '../helpers/cli.js';

const BIN = new URL('../../bin/corridor.js', import.meta.url).pathname;

describe('"Left out" lists each alternative once', () => {
  for (const [from, to] of [
    ['Chengdu', 'Kars'],
    ['Kars', "Xi'an"],
  ] as const)
    it(`${from} → ${to}`, async () => {
      const r = await cliJson<{ alternatives: { path: string[]; summary: string }[] }>('route', from, to);
      const paths = r.alternatives.map((a) => `${a.summary}|${a.path.join('>')}`);
      expect(r.alternatives.length).toBeGreaterThan(0);
      expect(new Set(paths).size).toBe(paths.length);
    });
});

describe('route families name an option only where it runs', () => {
  it('an Aras option to Nakhchivan is not called Zangezur unless it crosses Armenia', async () => {
    for (const scenario of ['aras-via-iran', 'zangezur-open']) {
      const r = await cliJson<{ options: { summary: string; totals: { countries: string[] } }[] }>(
        'route',
        'Baku',
        'Nakhchivan',
        '--scenario',
        scenario,
      );
      expect(r.options.length).toBeGreaterThan(0);
      for (const o of r.options) expect(o.summary.includes('Zangezur')).toBe(o.totals.countries.includes('AM'));
    }
  });
});

describe('corridor plan prints the UTC offset where a leg changes time zone', () => {
  it('Brest → Małaszewicze does not read as arriving before it departs', async () => {
    const r = await cli('plan', "Xi'an", 'Duisburg', '--ready', '2025-01-06T08:00');
    expect(r.status).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('Brest → Małaszewicze'));
    expect(line).toBeDefined();
    expect(line).toMatch(/\d{2}:\d{2} \+03:00 → \d{4}-\d{2}-\d{2} \d{2}:\d{2} \+0[12]:00 {2}Brest → Małaszewicze/);
    // A leg inside one zone keeps the short form.
    expect(r.stdout).toMatch(/\d{2}:\d{2} → \d{4}-\d{2}-\d{2} \d{2}:\d{2} {2}Moscow → Brest/);
  });
});

describe('corridor quote', () => {
  it('puts a one-screen summary of every option first, the itemisation after', async () => {
    const r = await cli('quote', "Xi'an", 'Duisburg', '--containers', '2x40', '--avoid', 'RU');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    const summaryAt = lines.findIndex((l) => /^#\s+days\s+USD\s+CO2e WTW/.test(l));
    const firstItemised = lines.findIndex((l) => l.startsWith('Option 1'));
    expect(summaryAt).toBeGreaterThan(0);
    expect(summaryAt).toBeLessThan(12);
    expect(firstItemised).toBeGreaterThan(summaryAt);
    const options = lines.slice(summaryAt + 1, firstItemised).filter((l) => /^\d+\s/.test(l));
    expect(options.length).toBe(lines.filter((l) => /^Option \d+/.test(l)).length);
    expect(lines[2]).toMatch(/^priced for \d{4}-\d{2}-\d{2} \(today\) · tariff set /);
  });
});

describe('corridor in a pipe', () => {
  it('stops quietly when the reader goes away (no EPIPE stack trace)', () => {
    const r = spawnSync('sh', ['-c', `node ${BIN} route "Xi'an" Duisburg --json | head -c 100`], {
      encoding: 'utf8',
    });
    expect(r.stdout.length).toBe(100);
    expect(r.stderr).toBe('');
  });
});

describe('the domain core speaks of fields, not of CLI flags', () => {
  it('no message in the core names a flag (--ready, --avoid, …)', () => {
    const core = ['model', 'network', 'routing', 'schedule', 'tariff', 'emissions', 'flow', 'scenario'];
    const hits: string[] = [];
    for (const dir of core) {
      const root = new URL(`../../src/${dir}/`, import.meta.url).pathname;
      for (const f of readdirSync(root).filter((x) => x.endsWith('.ts'))) {
        readFileSync(join(root, f), 'utf8')
          .split('\n')
          .forEach((line, i) => {
            const code = line.trim();
            if (code.startsWith('//') || code.startsWith('*')) return;
            if (/['"`][^'"`]*--[a-z][a-z-]+/.test(code)) hits.push(`src/${dir}/${f}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(hits).toEqual([]);
  });
});
