/**
 * Who did something, as a reader may see it (docs/security.md "Who did it"; issue #14 API2: the key
 * ids in `publishedBy` and a publication's history were readable anonymously). A key id is the public
 * half of a credential: knowing one lets a caller aim guesses (and once, lockouts) at that key. So
 * it is shown only to admins and to the key's own organisation (or the key itself); everyone else
 * sees the organisation, the operator the key is bound to, or only the key's role.
 */
import type { ApiKeyRecord, Store } from '../../store/store.js';
import type { Principal } from '../keys.js';

/** The name of the actor `keyId` for one request's reader; key records are looked up once per request. */
export class ActorNames {
  private readonly keys = new Map<string, Promise<ApiKeyRecord | undefined>>();

  constructor(
    private readonly store: Pick<Store, 'findKey'>,
    private readonly reader: Principal | undefined,
  ) {}

  /** The key id for its owner and admins; otherwise `organisation`, else `operator`, else `<role> key`. */
  async of(keyId: string | null): Promise<string | null> {
    if (keyId === null) return null;
    const r = this.reader;
    if (r && (r.role === 'admin' || r.keyId === keyId)) return keyId;
    let found = this.keys.get(keyId);
    if (!found) {
      found = this.store.findKey(keyId);
      this.keys.set(keyId, found);
    }
    const key = await found;
    if (!key) return 'a removed key';
    const org = key.organisation ?? null;
    if (r && org !== null && r.organisation === org) return keyId;
    return org ?? key.operator ?? `${key.role} key`;
  }

  /** `o` with each of `fields` replaced by the actor name. */
  async named<T extends object, K extends keyof T>(o: T, fields: readonly K[]): Promise<T> {
    const out = { ...o };
    for (const f of fields) {
      const v = o[f];
      if (typeof v === 'string' || v === null) out[f] = (await this.of(v as string | null)) as T[K];
    }
    return out;
  }
}
