#!/usr/bin/env node
// Fails when a source line is longer than 120 characters. Biome's formatter wraps code at 120 but
// leaves string literals, template literals and comments alone, so this catches what it cannot.
// Data (YAML), generated files and Markdown prose are out of scope.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX = 120;
const CODE = /\.(ts|js|cjs|mjs|html|css)$/;
const GENERATED = [/^web\/src\/api\/openapi\.d\.ts$/, /^test\/fixtures\//, /^vendor\//, /^data-external\//];
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => CODE.test(f) && !GENERATED.some((g) => g.test(f)));
const long = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed by git but deleted in the work tree
  }
  text.split('\n').forEach((line, i) => {
    if ([...line].length > MAX) long.push(`${file}:${i + 1}: ${[...line].length} characters`);
  });
}
if (long.length) {
  process.stderr.write(`${long.length} line(s) over ${MAX} characters:\n${long.join('\n')}\n`);
  process.exit(1);
}
console.log(`check-lines: ${files.length} files, no line over ${MAX} characters`);
