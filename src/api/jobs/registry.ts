/** The job kinds this build knows. Add a kind: one file under kinds/, one line here. */
import type { JobKind } from './kind.js';
import { routeBatch } from './kinds/route-batch.js';
import { routeMatrix } from './kinds/route-matrix.js';
import { assignment } from './kinds/assignment.js';
import { sweepDraw } from './kinds/sweep-draw.js';

/** Kinds of any params and result: each was type-checked by defineJobKind, so here the types are erased. */
// biome-ignore lint/suspicious/noExplicitAny: type erasure of checked declarations (see above)
export type AnyJobKind = JobKind<any, any>;

export const JOB_KINDS: readonly AnyJobKind[] = [routeBatch, routeMatrix, assignment, sweepDraw];

export function findJobKind(name: string): AnyJobKind | undefined {
  return JOB_KINDS.find((k) => k.name === name);
}
