#!/usr/bin/env node
/**
 * Composes the default dataset with the dense-network overlay (data-external/dense-network, written by
 * bin/gen-network.js) into one dataset directory: `node bin/dense-dataset.js DIR`, then e.g.
 * `corridor validate DIR`. The overlay's lists join the default ones file by file (decision 0015).
 */
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Copies data/ and the overlay into `dir`; returns `dir`. */
export function composeDenseDataset(dir) {
  mkdirSync(dir, { recursive: true });
  cpSync(join(ROOT, 'data'), dir, { recursive: true });
  cpSync(join(ROOT, 'data-external', 'dense-network'), dir, { recursive: true });
  return dir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node bin/dense-dataset.js DIR');
    process.exit(2);
  }
  composeDenseDataset(dir);
  console.log(`dense dataset in ${dir}`);
}
