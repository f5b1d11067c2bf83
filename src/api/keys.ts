/**
 * API keys: `cor_<id>_<secret>`. The id is public (it names the key in logs and lists); the secret
 * is 32 random bytes, stored only as scrypt(secret, per-key salt) and shown once at creation.
 * scrypt is slow on purpose (≈ 50 ms, 16 MiB), so verified keys are remembered for a short TTL
 * by the SHA-256 of the whole key: a revocation reaches this instance at once and other instances
 * within `cacheTtlMs`.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ROLES, type ApiKeyRecord, type Role, type Store } from '../store/store.js';
import { nth } from '../model/invariant.js';

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
}

export interface CreatedKey {
  /** The full key: shown once, never stored. */
  key: string;
  record: Omit<ApiKeyRecord, 'hash' | 'salt'>;
}

export class KeyService {
  private readonly verified = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly cacheTtlMs = 60_000,
    private readonly cacheMax = 10_000,
  ) {}

  async create(
    role: Role,
    opts: { operator?: string | null; label?: string | null; now?: string } = {},
  ): Promise<CreatedKey> {
    if (!ROLES.includes(role)) throw new Error(`role must be one of ${ROLES.join(', ')}`);
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
      createdAt: opts.now ?? new Date().toISOString(),
      revokedAt: null,
    };
    await this.store.insertKey(rec);
    const { hash: _h, salt: _s, ...record } = rec;
    return { key: `cor_${id}_${secret}`, record };
  }

  /** The principal a key stands for, or undefined when it is malformed, unknown, revoked or wrong. */
  async verify(key: string): Promise<Principal | undefined> {
    const m = KEY_PATTERN.exec(key);
    if (!m) return undefined;
    const digest = createHash('sha256').update(key).digest('base64url');
    const hit = this.verified.get(digest);
    const now = Date.now();
    if (hit && hit.until > now) return hit.principal;
    const rec = await this.store.findKey(nth(m, 1));
    if (!rec || rec.revokedAt !== null) return undefined;
    const hash = await scrypt(nth(m, 2), rec.salt);
    const expected = Buffer.from(rec.hash, 'base64url');
    if (expected.length !== hash.length || !timingSafeEqual(expected, hash)) return undefined;
    const principal: Principal = { keyId: rec.id, role: rec.role, operator: rec.operator };
    if (this.verified.size >= this.cacheMax) this.verified.clear();
    this.verified.set(digest, { principal, until: now + this.cacheTtlMs });
    return principal;
  }

  async revoke(id: string, now = new Date().toISOString()): Promise<boolean> {
    const ok = await this.store.revokeKey(id, now);
    for (const [digest, v] of this.verified) if (v.principal.keyId === id) this.verified.delete(digest);
    return ok;
  }
}
