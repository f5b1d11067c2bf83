/**
 * API keys: `cor_<id>_<secret>`. The id is public (it names the key in logs and lists); the secret
 * is 32 random bytes, stored only as scrypt(secret, per-key salt) and shown once at creation.
 * scrypt is slow on purpose (≈ 50 ms, 16 MiB), so verified keys are remembered by the SHA-256 of
 * the whole key: for `cacheTtlMs` (5 s) without any lookup, then re-checked against the store (a
 * cheap read, no scrypt) — so a revocation reaches this instance at once and every other instance
 * within 5 s, and a secret that was once correct never waits behind someone else's bad guesses.
 * scrypt runs only through the AuthThrottle (guards/auth-throttle.ts); an unknown key id costs
 * the same scrypt as a wrong secret, so timing does not tell which ids exist.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ROLES, organisationProblem, type ApiKeyRecord, type Role, type Store } from '../store/store.js';
import { nth } from '../model/invariant.js';
import { AuthThrottle } from './guards/auth-throttle.js';

const SCRYPT: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const HASH_BYTES = 32;
const KEY_PATTERN = /^cor_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

function scrypt(secret: string, salt: string): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, HASH_BYTES, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Role order: each role may do everything the roles before it may. */
export const ROLE_RANK: Record<Role, number> = { viewer: 1, planner: 2, operator: 3, admin: 4 };
export const atLeast = (role: Role, min: Role) => ROLE_RANK[role] >= ROLE_RANK[min];

export interface Principal {
  keyId: string;
  role: Role;
  operator: string | null;
  /** The key's organisation (null: the key is one of its own); what it creates belongs to it. */
  organisation: string | null;
}

/** What a key check found: a principal, nothing (401), or too many attempts (429). */
export type Verification =
  | { kind: 'ok'; principal: Principal }
  | { kind: 'invalid' }
  | { kind: 'throttled'; retryAfterS: number };

/** Hashed in place of a missing key record, so an unknown id costs what a wrong secret does. */
const DUMMY_SALT = randomBytes(16).toString('base64url');

export interface CreatedKey {
  /** The full key: shown once, never stored. */
  key: string;
  record: Omit<ApiKeyRecord, 'hash' | 'salt'>;
}

export class KeyService {
  private readonly verified = new Map<string, { principal: Principal; until: number }>();
  /** Checks under way by key digest: a client's first burst with one key shares one scrypt. */
  private readonly pending = new Map<string, Promise<Verification>>();
  /** scrypt runs so far (tests read it to show the throttle bounds the hashing). */
  scryptRuns = 0;

  constructor(
    private readonly store: Store,
    private readonly cacheTtlMs = 5_000,
    private readonly cacheMax = 10_000,
    readonly throttle = new AuthThrottle(),
  ) {}

  async create(
    role: Role,
    opts: { operator?: string | null; label?: string | null; organisation?: string | null; now?: string } = {},
  ): Promise<CreatedKey> {
    if (!ROLES.includes(role)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
    const orgProblem = opts.organisation ? organisationProblem(opts.organisation) : undefined;
    if (orgProblem) throw new Error(`organisation "${opts.organisation}": ${orgProblem}`);
    if (role === 'operator' && !opts.operator)
      throw new Error(
        'an operator key needs the id of the operator it belongs to (--operator; GET /api/v1/operators lists them)',
      );
    if (role !== 'operator' && opts.operator) throw new Error('only operator keys belong to an operator');
    const id = randomBytes(9)
      .toString('base64url')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '0')
      .slice(0, 12)
      .padEnd(12, '0');
    const secret = randomBytes(32).toString('base64url');
    const salt = randomBytes(16).toString('base64url');
    const hash = (await scrypt(secret, salt)).toString('base64url');
    const rec: ApiKeyRecord = {
      id,
      hash,
      salt,
      role,
      operator: opts.operator ?? null,
      label: opts.label ?? null,
      organisation: opts.organisation ?? null,
      createdAt: opts.now ?? new Date().toISOString(),
      revokedAt: null,
    };
    await this.store.insertKey(rec);
    const { hash: _h, salt: _s, ...record } = rec;
    return { key: `cor_${id}_${secret}`, record };
  }

  /** The principal a key stands for, or undefined when it is malformed, unknown, revoked or wrong. */
  async verify(key: string, address = 'local'): Promise<Principal | undefined> {
    const v = await this.check(key, address);
    return v.kind === 'ok' ? v.principal : undefined;
  }

  async check(key: string, address: string): Promise<Verification> {
    const m = KEY_PATTERN.exec(key);
    if (!m) return { kind: 'invalid' };
    const id = nth(m, 1);
    const digest = createHash('sha256').update(key).digest('base64url');
    const hit = this.verified.get(digest);
    const now = Date.now();
    if (hit) {
      if (hit.until > now) return { kind: 'ok', principal: hit.principal };
      // Known secret, TTL over: only revocation can have changed, and that needs no scrypt.
      const rec = await this.store.findKey(id);
      if (!rec || rec.revokedAt !== null) {
        this.verified.delete(digest);
        return { kind: 'invalid' };
      }
      hit.until = now + this.cacheTtlMs;
      return { kind: 'ok', principal: hit.principal };
    }
    const running = this.pending.get(digest);
    if (running) return running;
    const p = this.hashAndCompare(id, nth(m, 2), digest, address, now);
    this.pending.set(digest, p);
    try {
      return await p;
    } finally {
      this.pending.delete(digest);
    }
  }

  private async hashAndCompare(
    id: string,
    secret: string,
    digest: string,
    address: string,
    now: number,
  ): Promise<Verification> {
    const admission = this.throttle.begin(address, id, now);
    if (!admission.ok) return { kind: 'throttled', retryAfterS: admission.retryAfterS };
    let ok: boolean | 'undecided' = 'undecided';
    try {
      const rec = await this.store.findKey(id);
      // From here the attempt is judged; a store that did not answer (above) says nothing about the key.
      ok = false;
      this.scryptRuns++;
      const hash = await scrypt(secret, rec?.salt ?? DUMMY_SALT);
      if (!rec || rec.revokedAt !== null) return { kind: 'invalid' };
      const expected = Buffer.from(rec.hash, 'base64url');
      if (expected.length !== hash.length || !timingSafeEqual(expected, hash)) return { kind: 'invalid' };
      ok = true;
      const principal: Principal = {
        keyId: rec.id,
        role: rec.role,
        operator: rec.operator,
        organisation: rec.organisation ?? null,
      };
      if (this.verified.size >= this.cacheMax) this.verified.clear();
      this.verified.set(digest, { principal, until: now + this.cacheTtlMs });
      return { kind: 'ok', principal };
    } finally {
      admission.release(ok);
    }
  }

  async revoke(id: string, now = new Date().toISOString()): Promise<boolean> {
    const ok = await this.store.revokeKey(id, now);
    for (const [digest, v] of this.verified) if (v.principal.keyId === id) this.verified.delete(digest);
    return ok;
  }
}
