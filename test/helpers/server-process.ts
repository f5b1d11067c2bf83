/** Runs the built `corridor serve` as a child process on a free port, as a user would. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export const BIN = new URL('../../bin/corridor.js', import.meta.url).pathname;

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  output(): string;
  /** SIGKILL: no shutdown code runs. */
  kill9(): Promise<void>;
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** SIGKILLs every server this file started that is still running (for afterEach: a failed test leaves none behind). */
export function killStrayServers(): void {
  for (const p of running) p.kill('SIGKILL');
  running.clear();
}

export async function startServerProcess(env: Record<string, string>, timeoutMs = 30_000): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_ANONYMOUS_PER_MIN: '1000000',
      RATE_LIMIT_KEY_PER_MIN: '1000000',
      // One request worker: the pool is exercised end to end without a thread per core per server.
      REQUEST_WORKERS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    proc.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving (http:\/\/\S+) /.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    url,
    proc,
    output: () => out,
    async kill9() {
      proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      proc.kill('SIGTERM');
      return exited;
    },
  };
}

export function corridorCli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
