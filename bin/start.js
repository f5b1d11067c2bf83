#!/usr/bin/env node
// `npm start`: builds what is missing (dist/ with tsc, dist/web with Vite), then runs
// `corridor serve` with any arguments given after `npm start --`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
function step(what, cmd, args) {
  console.error(`corridor: ${what}…`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`corridor: ${what} failed (exit ${r.status ?? r.signal}); is \`npm ci\` done?`);
    process.exit(1);
  }
}
if (!existsSync(`${root}dist/cli/main.js`)) step('compiling the server (dist/)', process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`]);
if (!existsSync(`${root}dist/web/index.html`)) step('building the web planner (dist/web)', process.execPath, [`${root}bin/build-web.js`]);

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(['serve', ...process.argv.slice(2)]);
