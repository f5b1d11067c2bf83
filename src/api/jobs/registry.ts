/** The job kinds this build knows. Add a kind: one file under kinds/, one line here. */
import type { JobKind } from './kind.js';
import { routeBatch } from './kinds/route-batch.js';
import { routeMatrix } from './kinds/route-matrix.js';
import { assignment } from './kinds/assignment.js';

export const JOB_KINDS: readonly JobKind<any, any>[] = [routeBatch, routeMatrix, assignment];

export function findJobKind(name: string): JobKind<any, any> | undefined {
  return JOB_KINDS.find((k) => k.name === name);
}
