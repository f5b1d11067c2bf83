/**
 * Every installed package must support the Node this project runs on (see the README: Node 20).
 * Newer majors of many packages declare Node 22 and some break here (better-sqlite3 13 segfaults);
 * npm only warns (EBADENGINE), so this test turns the warning into a failure.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;

function* packages(dir: string): Generator<{ name: string; version: string; engine?: string }> {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.name.startsWith('@')) {
      yield* packages(p);
      continue;
    }
    const file = join(p, 'package.json');
    if (existsSync(file)) {
      const j = JSON.parse(readFileSync(file, 'utf8')) as {
        name?: string;
        version?: string;
        engines?: { node?: string };
      };
      if (j.name && j.version)
        yield { name: j.name, version: j.version, ...(j.engines?.node ? { engine: j.engines.node } : {}) };
    }
    yield* packages(join(p, 'node_modules'));
  }
}

describe('dependencies', () => {
  it('every installed package supports the Node version this project runs on', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines?: { node?: string } };
    expect(pkg.engines?.node, 'package.json engines.node').toBeDefined();
    const node = process.versions.node;
    expect(
      semver.satisfies(node, pkg.engines!.node!),
      `this Node ${node} against package.json's engines ${pkg.engines!.node}`,
    ).toBe(true);
    const all = [...packages(join(ROOT, 'node_modules'))];
    expect(all.length).toBeGreaterThan(100);
    const refuse = all.filter((p) => p.engine && !semver.satisfies(node, p.engine, { includePrerelease: true }));
    expect(refuse.map((p) => `${p.name}@${p.version} needs node ${p.engine}`)).toEqual([]);
  });
});
