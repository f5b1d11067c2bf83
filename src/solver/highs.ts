/**
 * The LP solver the CLI uses: HiGHS (wasm) in a worker thread, behind the core's `LpSolver`
 * interface. `createHighsSolver({inline: true})` runs it in-process instead (tests, benchmarks that
 * time the solver alone). Call `close()` when done: the worker otherwise keeps the process alive.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CscMatrix, LpModel, LpResult, LpSession, LpSolver } from '../flow/lp.js';
import { HighsBackend, loadHighsModule } from './highs-backend.js';
import type { WorkerRequest, WorkerResponse } from './highs-protocol.js';

export interface ClosableLpSolver extends LpSolver {
  close(): Promise<void>;
}

type Op = WorkerRequest extends infer R ? (R extends { op: infer O } ? O : never) : never;
type Payload<O extends Op> = Omit<Extract<WorkerRequest, { op: O }>, 'id' | 'op'>;

function workerUrl(): URL {
  // From dist/solver/highs.js the worker is a sibling; from src/solver/highs.ts (tests) it is the built one.
  const sibling = new URL('./highs-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  return new URL('../../dist/solver/highs-worker.js', import.meta.url);
}

export async function createHighsSolver(options: { inline?: boolean } = {}): Promise<ClosableLpSolver> {
  if (options.inline) {
    const b = new HighsBackend(await loadHighsModule());
    return {
      name: b.name,
      solve: async (model, o) => b.solve(model, o?.timeLimitS),
      open: async (model) => {
        const s = b.open(model);
        return {
          addColumns: async (cost, lower, upper, matrix) => b.addColumns(s, cost, lower, upper, matrix),
          solve: async () => b.solveSession(s),
          close: async () => b.close(s),
        };
      },
      close: async () => undefined,
    };
  }

  const worker = new Worker(workerUrl());
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failed: Error | undefined;
  worker.on('message', (msg: WorkerResponse) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new Error(`LP solver: ${msg.error}`));
  });
  const failAll = (e: Error) => {
    failed = e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  worker.on('error', (e) => failAll(new Error(`LP solver worker failed: ${e.message}`)));
  worker.on('exit', (code) => {
    if (pending.size > 0) failAll(new Error(`LP solver worker exited (code ${code})`));
  });
  const ready = new Promise<unknown>((resolve, reject) => pending.set(0, { resolve, reject }));
  const name = String(await ready);

  const call = <O extends Op>(op: O, payload: Payload<O>): Promise<unknown> => {
    if (failed) return Promise.reject(failed);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, op, ...payload } as unknown as WorkerRequest);
    });
  };

  return {
    name,
    solve: async (model: LpModel, o?: { timeLimitS?: number }) =>
      (await call('solve', {
        model,
        ...(o?.timeLimitS !== undefined ? { timeLimitS: o.timeLimitS } : {}),
      })) as LpResult,
    open: async (model: LpModel): Promise<LpSession> => {
      const session = (await call('open', { model })) as number;
      return {
        addColumns: async (cost: Float64Array, lower: Float64Array, upper: Float64Array, matrix: CscMatrix) => {
          await call('addColumns', { session, cost, lower, upper, matrix });
        },
        solve: async () => (await call('solveSession', { session })) as LpResult,
        close: async () => {
          await call('close', { session });
        },
      };
    },
    close: async () => {
      await worker.terminate();
    },
  };
}
