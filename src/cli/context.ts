/** What a command registered from its own file gets from main.ts. */
import type { LoadResult } from '../data/load.js';

export interface CliContext {
  out(s: string): void;
  err(s: string): void;
  setStatus(code: number): void;
  /** Loads the dataset chosen by --data; throws a CorridorError when it has errors. */
  load(): LoadResult;
}
