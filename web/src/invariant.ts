/**
 * The web page's own copy of src/model/invariant.ts (web/ never imports src/).
 * Checked reads for values the code knows are present (an index into a compiled column, a key
 * just inserted into a map). With `noUncheckedIndexedAccess` such reads are typed `T | undefined`;
 * a non-null assertion would let a broken invariant travel on as `undefined` and surface far away
 * as NaN or a wrong answer. These throw at the read instead, naming what was missing.
 */

/** Thrown when an internal invariant fails: a bug in Corridor, never a user error. */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

/** `items[index]`, which the caller knows to exist. */
export function nth<T>(items: ArrayLike<T>, index: number): T {
  const value = items[index];
  if (value === undefined) {
    throw new InvariantError(`internal: no element at index ${index} of ${items.length}`);
  }
  return value;
}

/** `value`, which the caller knows is neither `undefined` nor `null`. */
export function must<T>(value: T | undefined | null, what = 'value'): T {
  if (value === undefined || value === null) throw new InvariantError(`internal: ${what} is missing`);
  return value;
}
