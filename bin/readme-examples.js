#!/usr/bin/env node
// Re-runs the examples of README.md and writes their real output back: every fenced block whose
// first line is `$ npx corridor …` is replaced by what that command prints today. A block that
// ends with a line `…` keeps its length (the output is cut there, as the README shows it).
// Run after a change to the data or the output format: `npm run docs:readme` (builds first).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../dist/cli/main.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'README.md');
const text = readFileSync(file, 'utf8');

/** Splits a shell command line into arguments (double and single quotes, no expansion). */
function shellWords(line) {
  const words = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

async function run(args) {
  let out = '';
  let err = '';
  const status = await main(
    args,
    (s) => {
      out += s;
    },
    (s) => {
      err += s;
    },
  );
  if (status !== 0) throw new Error(`corridor ${args.join(' ')} exited ${status}: ${err}`);
  return out.replace(/\s+$/, '');
}

const blocks = [...text.matchAll(/```\n\$ npx corridor ([^\n]*)\n([\s\S]*?)```/g)];
let next = text;
for (const b of blocks) {
  const [whole, command, body] = b;
  const lines = body.replace(/\n$/, '').split('\n');
  const cut = lines.at(-1) === '…' ? lines.length - 1 : undefined;
  let output = await run(shellWords(command));
  if (cut !== undefined) output = `${output.split('\n').slice(0, cut).join('\n')}\n…`;
  next = next.replace(whole, `\`\`\`\n$ npx corridor ${command}\n${output}\n\`\`\``);
  console.log(`corridor ${command}: ${output.split('\n').length} lines`);
}
if (next !== text) writeFileSync(file, next);
console.log(next === text ? 'README.md examples are current' : 'README.md examples rewritten');
