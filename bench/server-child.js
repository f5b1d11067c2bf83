/**
 * Starts `corridor serve` for a benchmark: temp SQLite database, free port, no job workers,
 * rate limits out of the way. Shared by bench/http.js and bench/soak.js.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../bin/corridor.js', import.meta.url).pathname;

/** @param {Record<string, string>} env */
export async function startBenchServer(env = {}) {
  const db = `sqlite:${join(mkdtempSync(join(tmpdir(), 'corridor-bench-')), 'bench.sqlite')}`;
  const proc = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: db,
      LOG_LEVEL: 'warn',
      JOB_WORKERS: '0',
      RATE_LIMIT_ANONYMOUS_PER_MIN: '10000000',
      RATE_LIMIT_KEY_PER_MIN: '10000000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 60_000);
    proc.stderr.on('data', (d) => {
      err += d.toString();
      const m = /serving (http:\/\/\S+) /.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${err}`));
    });
  });
  return {
    url,
    pid: proc.pid,
    stop: () =>
      new Promise((resolve) => {
        proc.once('exit', resolve);
        proc.kill('SIGTERM');
      }),
  };
}

/** Resident set size of a process in MB (Linux /proc). */
export async function rssMB(pid) {
  const { readFileSync } = await import('node:fs');
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU time (user + system) a process has used, in ms (Linux /proc; clock ticks of 10 ms). */
export async function cpuMs(pid) {
  const { readFileSync } = await import('node:fs');
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5) are utime and stime; after the ")" they are the 12th and 13th.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
