#!/usr/bin/env node
// `npm start`: compiles the server (dist/) and builds the web planner (dist/web), each only when
// it is missing or older than its sources, then runs `corridor serve` with any arguments given
// after `npm start --`. One command from a fresh clone (after `npm ci`); after that, start-up
// does no build work (a compile takes a minute on a loaded 2-core machine).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function step(what, args) {
  console.error(`corridor: ${what}…`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`corridor: ${what} failed (exit ${r.status ?? r.signal}); has \`npm ci\` run?`);
    process.exit(1);
  }
}

/** Newest modification time of the files under `dir` (ms). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const server = join(root, 'dist/cli/main.js');
const serverSources = Math.max(
  newest(join(root, 'src')),
  mtime(join(root, 'tsconfig.build.json')),
  mtime(join(root, 'tsconfig.json')),
);
if (mtime(server) < serverSources) {
  step('compiling the server (dist/)', [
    join(root, 'node_modules/typescript/bin/tsc'),
    '-p',
    join(root, 'tsconfig.build.json'),
  ]);
}
const page = join(root, 'dist/web/index.html');
if (!existsSync(page) || statSync(page).mtimeMs < Math.max(newest(join(root, 'web')), newest(join(root, 'src/api')))) {
  step('building the web planner (dist/web)', [join(root, 'bin/build-web.js')]);
}

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(['serve', ...process.argv.slice(2)]);
