/** Messages between highs.ts (main thread) and highs-worker.ts (worker thread). */
import type { CscMatrix, LpModel } from '../flow/lp.js';

export type WorkerRequest =
  | { id: number; op: 'solve'; model: LpModel; timeLimitS?: number }
  | { id: number; op: 'open'; model: LpModel }
  | {
      id: number;
      op: 'addColumns';
      session: number;
      cost: Float64Array;
      lower: Float64Array;
      upper: Float64Array;
      matrix: CscMatrix;
    }
  | { id: number; op: 'solveSession'; session: number }
  | { id: number; op: 'close'; session: number };

export type WorkerResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
