/**
 * The linear-programming interface the flow core talks to. The core builds models as plain typed
 * arrays and never loads a solver itself: an edge module (src/solver/highs.ts, HiGHS compiled to
 * WebAssembly, run in a worker thread) implements `LpSolver`. This keeps src/flow free of IO and
 * lets tests swap implementations behind one conformance suite.
 *
 * Conventions: minimise `colCost · x` subject to `rowLower ≤ A x ≤ rowUpper` and
 * `colLower ≤ x ≤ colUpper`; ±Infinity for missing bounds; `A` column-wise (CSC). Row duals follow
 * the Lagrangian sign convention (reduced cost = c − Aᵀy): a binding `≤` row has y ≤ 0.
 */

/** A sparse matrix stored by column: column j is `indices/values[starts[j] .. starts[j+1]]`. */
export interface CscMatrix {
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

export interface LpModel {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  matrix: CscMatrix;
}

export type LpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'time-limit' | 'error';

export interface LpResult {
  status: LpStatus;
  /** Solver's own status text, for messages. */
  detail: string;
  objective: number;
  colValue: Float64Array;
  rowDual: Float64Array;
  /** Simplex iterations, where the solver reports them. */
  iterations: number;
}

/** A model kept alive in the solver so columns and rows can be added and re-solved warm. */
export interface LpSession {
  /** Adds columns (their entries refer to existing rows). */
  addColumns(cost: Float64Array, lower: Float64Array, upper: Float64Array, matrix: CscMatrix): Promise<void>;
  solve(): Promise<LpResult>;
  close(): Promise<void>;
}

export interface LpSolver {
  /** Name and version, for reports, e.g. "HiGHS 1.15.3 (wasm)". */
  readonly name: string;
  solve(model: LpModel, options?: { timeLimitS?: number }): Promise<LpResult>;
  open(model: LpModel): Promise<LpSession>;
}
