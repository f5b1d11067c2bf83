/**
 * The `corridor` command in-process: `main()` with captured output and a fixed clock, so answers
 * priced for "today" do not move with the calendar. Spawn a process (server-process.ts) only to
 * test what belongs to the process itself: exit codes seen by a shell, signals, pipes.
 */
import { main } from '../../src/cli/main.js';
import { loadDataset, type LoadResult } from '../../src/data/load.js';
import { getOrCreate } from '../../src/model/memo.js';

/** One read per dataset directory: the tests of a file share it (loading has tests of its own). */
const loads = new Map<string, LoadResult>();
const loadOnce = (dir: string) => {
  const l = getOrCreate(loads, dir, () => loadDataset(dir));
  return l;
};

/** The date tests treat as today. */
export const TEST_TODAY = '2026-12-07';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

export async function cli(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const status = await main(
    args,
    (s) => {
      stdout += s;
    },
    (s) => {
      stderr += s;
    },
    { now: () => new Date(`${TEST_TODAY}T12:00:00Z`), loadDataset: loadOnce },
  );
  return { status, stdout, stderr };
}

/** `corridor … --json`, parsed; fails the test on a non-zero exit or anything on stderr but progress. */
export async function cliJson<T = any>(...args: string[]): Promise<T> {
  const r = await cli(...args, '--json');
  if (r.status !== 0) throw new Error(`corridor ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
