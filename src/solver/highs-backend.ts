/**
 * HiGHS (compiled to WebAssembly, npm `highs`) behind the flow core's LP interface, synchronous.
 * Used inside the worker thread (highs-worker.ts) and, for tests and benchmarks, in-process.
 * @see Q. Huangfu, J.A.J. Hall, "Parallelizing the dual revised simplex method", Mathematical
 *      Programming Computation 10 (2018) 119–142 — the HiGHS simplex solver.
 */
import type { Highs } from 'highs';
import type { CscMatrix, LpModel, LpResult, LpStatus } from '../flow/lp.js';
import { nth } from '../model/invariant.js';

type Model = ReturnType<Highs['createModel']>;

let highsPromise: Promise<Highs> | undefined;
/**
 * Loads the wasm module once per thread. (The package's types describe it as CommonJS; at run time the ESM build's
 * default export is the loader.)
 */
export function loadHighsModule(): Promise<Highs> {
  highsPromise ??= import('highs').then((mod) => {
    const load = ((mod as unknown as { default?: unknown }).default ?? mod) as () => Promise<Highs>;
    return load();
  });
  return highsPromise;
}

const finite = (a: Float64Array, inf: number) => {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const v = nth(a, i);
    out[i] = v === Infinity ? inf : v === -Infinity ? -inf : v;
  }
  return out;
};

export class HighsBackend {
  private readonly sessions = new Map<number, { model: Model; numRows: number }>();
  private nextSession = 1;

  constructor(private readonly highs: Highs) {}

  get name(): string {
    return `HiGHS ${this.highs.version.string} (wasm)`;
  }

  private create(model: LpModel, timeLimitS?: number): Model {
    const h = this.highs;
    const m = h.createModel({
      numCols: model.numCols,
      numRows: model.numRows,
      colCost: model.colCost,
      colLower: finite(model.colLower, h.infinity),
      colUpper: finite(model.colUpper, h.infinity),
      rowLower: finite(model.rowLower, h.infinity),
      rowUpper: finite(model.rowUpper, h.infinity),
      matrix: { format: 'csc', numRows: model.numRows, numCols: model.numCols, ...model.matrix },
    });
    m.options.set({ output_flag: false });
    if (timeLimitS !== undefined) m.options.set('time_limit', timeLimitS);
    return m;
  }

  private result(m: Model): LpResult {
    const s = this.highs.constants.modelStatus;
    const code = m.getModelStatus();
    const status: LpStatus =
      code === s.optimal
        ? 'optimal'
        : code === s.infeasible
          ? 'infeasible'
          : code === s.unbounded || code === s.unboundedOrInfeasible
            ? 'unbounded'
            : code === s.timeLimit
              ? 'time-limit'
              : 'error';
    const name = Object.entries(s).find(([, v]) => v === code)?.[0] ?? String(code);
    const sol = m.getSolution();
    return {
      status,
      detail: `HiGHS model status ${name}`,
      objective: m.getObjectiveValue(),
      colValue: sol.colValue,
      rowDual: sol.rowDual,
      iterations: Number(m.info.get('simplex_iteration_count')),
    };
  }

  solve(model: LpModel, timeLimitS?: number): LpResult {
    const m = this.create(model, timeLimitS);
    try {
      m.run();
      return this.result(m);
    } finally {
      m.dispose();
    }
  }

  open(model: LpModel): number {
    const id = this.nextSession++;
    this.sessions.set(id, { model: this.create(model), numRows: model.numRows });
    return id;
  }

  addColumns(session: number, cost: Float64Array, lower: Float64Array, upper: Float64Array, matrix: CscMatrix): void {
    const { model: m, numRows } = this.get(session);
    m.addCols({
      cost,
      lower: finite(lower, this.highs.infinity),
      upper: finite(upper, this.highs.infinity),
      matrix: { format: 'csc', numRows, numCols: cost.length, ...matrix },
    });
  }

  solveSession(session: number): LpResult {
    const m = this.get(session).model;
    m.run();
    return this.result(m);
  }

  close(session: number): void {
    this.sessions.get(session)?.model.dispose();
    this.sessions.delete(session);
  }

  private get(session: number): { model: Model; numRows: number } {
    const m = this.sessions.get(session);
    if (!m) throw new Error(`no LP session ${session}`);
    return m;
  }
}
