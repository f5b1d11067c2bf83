#!/usr/bin/env node
/**
 * Writes the first release's sparse network (data/ without the dense network's `dense-*` files and the
 * scenarios that switch on its planned links) into one dataset directory: `node bin/core-dataset.js DIR`.
 * bench/dense.js runs it beside the default dataset to show what the dense network costs (decision 0025).
 */
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Scenarios whose links exist only in the dense network. */
const DENSE_SCENARIOS = ['anaklia-port.yaml', 'ukraine-transit-open.yaml'];

/** Copies data/ into `dir` without the dense network; returns `dir`. */
export function composeCoreDataset(dir) {
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, 'data'), dir, { recursive: true });
  for (const list of ['locations', 'links', 'transfers', 'sources']) {
    for (const f of readdirSync(join(dir, list))) if (f.startsWith('dense-')) rmSync(join(dir, list, f));
  }
  for (const f of DENSE_SCENARIOS) rmSync(join(dir, 'scenarios', f), { force: true });
  rmSync(join(dir, 'detour-exceptions.yaml'), { force: true });
  return dir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node bin/core-dataset.js DIR');
    process.exit(2);
  }
  composeCoreDataset(dir);
  console.log(`core (sparse) dataset in ${dir}`);
}
