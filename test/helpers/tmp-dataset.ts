import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MINI = new URL('../fixtures/mini/', import.meta.url).pathname;
export const DEFAULT_DATA = new URL('../../data/', import.meta.url).pathname;

/** Copies a dataset to a temp dir and applies text edits: {file: [[from, to], …]}. */
export function mutatedCopy(src: string, edits: Record<string, [string | RegExp, string][]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-data-'));
  cpSync(src, dir, { recursive: true });
  for (const [file, list] of Object.entries(edits)) {
    let text = readFileSync(join(dir, file), 'utf8');
    for (const [from, to] of list) {
      const next = text.replace(from, to);
      if (next === text) throw new Error(`edit did not apply to ${file}: ${String(from)}`);
      text = next;
    }
    writeFileSync(join(dir, file), text);
  }
  return dir;
}
