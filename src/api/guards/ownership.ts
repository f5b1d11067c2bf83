/**
 * Object ownership (OWASP API1, API5; docs/security.md "Ownership"). What a key creates — a stored
 * scenario, a job — belongs to the key's organisation (`ownerToken`: `org:<name>`, or the key id
 * for a key without one). Only the owner, or an admin, changes, cancels or reads private objects;
 * others see a private object as absent (404), so its existence is not confirmed.
 *
 * The reader of the request being answered is kept in an AsyncLocalStorage entered once per route
 * (define-route.ts), so the service's scenario catalog — which runs deep inside `prepareRoute` and
 * friends — hides other organisations' private scenarios without every use case taking a reader.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ownerToken, type Reader } from '../../store/store.js';
import type { Principal } from '../keys.js';
import { HttpProblem } from '../problem.js';

export const ANONYMOUS: Reader = { owner: null, all: false };

export function readerOf(p: Principal | undefined): Reader {
  if (!p) return ANONYMOUS;
  return { owner: ownerToken(p), all: p.role === 'admin' };
}

const scope = new AsyncLocalStorage<Reader>();

/** Runs `fn` with `reader` as the reader of the request. */
export const withReader = <T>(reader: Reader, fn: () => T): T => scope.run(reader, fn);

/** The reader of the request being answered; outside a request, an anonymous one (public objects only). */
export const currentReader = (): Reader => scope.getStore() ?? ANONYMOUS;

export interface Owned {
  owner: string | null;
  visibility?: 'private' | 'public';
}

/** Whether `reader` may read `o`: public, its own, or an admin. Unowned records (made without a key) are public. */
export function maySee(reader: Reader, o: Owned): boolean {
  if (reader.all || o.visibility === 'public' || o.owner === null) return true;
  return reader.owner !== null && reader.owner === o.owner;
}

/** Whether `reader` may change, delete or cancel `o`: its owner or an admin. */
export function mayChange(reader: Reader, o: Owned): boolean {
  return reader.all || (reader.owner !== null && reader.owner === o.owner);
}

/** 403 for a visible object the caller does not own. */
export function notYours(what: string, o: Owned): HttpProblem {
  return new HttpProblem(
    'forbidden',
    `${what} belongs to ${o.owner?.startsWith('org:') ? `organisation ${o.owner.slice(4)}` : 'another API key'}; ` +
      'only its owner or an admin may change it',
  );
}
