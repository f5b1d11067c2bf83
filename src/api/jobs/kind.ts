/**
 * A job kind: what an assignment job computes. Kinds are pluggable: each is one file under
 * kinds/, listed in registry.ts; the API validates `params` with the kind's schema and `check`
 * at submission (400 at once, not a failed job later), and a worker thread runs `run`.
 */
import type { z } from 'zod';
import type { Dataset } from '../../model/types.js';
import type { CompiledNetwork } from '../../network/compile.js';

export interface JobContext {
  dataset: Dataset;
  /** The compiled network for a scenario (cached per worker). */
  network(scenario?: string): CompiledNetwork;
  /** Reports progress; cheap to call often (the worker throttles). */
  progress(done: number, total: number, message?: string): void;
}

export interface JobKind<P = unknown, R = unknown> {
  name: string;
  title: string;
  description: string;
  params: z.ZodType<P>;
  /** Dataset checks at submission; throws an HttpProblem or CorridorError naming the field. */
  check(params: P, dataset: Dataset): void;
  /** Runs in a worker thread; synchronous CPU work is fine there, and so is a promise. */
  run(params: P, ctx: JobContext): R | Promise<R>;
}

export function defineJobKind<P, R>(k: JobKind<P, R>): JobKind<P, R> {
  return k;
}
