/**
 * A job kind: what an assignment job computes. Kinds are pluggable: each is one file under
 * kinds/, listed in registry.ts; the API validates `params` with the kind's schema and `check`
 * at submission (400 at once, not a failed job later), and a worker thread runs `run`. Both go
 * through the application service, exactly as the CLI and the HTTP routes do.
 */
import type { z } from 'zod';
import type { CorridorService } from '../../service/service.js';

export interface JobContext {
  /** The service over the World of the revision the job was sent with. */
  service: CorridorService;
  /** Reports progress; cheap to call often (the worker throttles). */
  progress(done: number, total: number, message?: string): void;
}

export interface JobKind<P = unknown, R = unknown> {
  name: string;
  title: string;
  description: string;
  params: z.ZodType<P>;
  /**
   * Checks at submission, through the service's parser; throws a CorridorError naming the fields (`queries[2].from`).
   */
  check(params: P, service: CorridorService): Promise<void>;
  /** Runs in a worker thread; synchronous CPU work is fine there, and so is a promise. */
  run(params: P, ctx: JobContext): R | Promise<R>;
}

export function defineJobKind<P, R>(k: JobKind<P, R>): JobKind<P, R> {
  return k;
}
