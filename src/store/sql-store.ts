/**
 * The Store on any SqlDriver: one set of statements for SQLite and PostgreSQL. Each mutating
 * method is a single transaction, so a write is either wholly there or not at all.
 */
import type {
  ApiKeyRecord,
  JobListQuery,
  JobRecord,
  JobStatus,
  PublicationRevision,
  PutScenarioResult,
  Reader,
  Role,
  ScenarioRevision,
  Store,
  StoreTransaction,
  StoredPublication,
  StoredScenario,
  ScenarioVisibility,
  ScenarioWrite,
  StoredSweep,
} from './store.js';
import { SqlBookings } from './booking-sql.js';
import { migrate } from './migrations.js';
import { EventSubscriptionTables } from './event-subscriptions.js';
import { SqlOutbox } from './outbox-sql.js';
import { TrackingTables } from './tracking.js';
import type { Row, SqlDriver, SqlExecutor, SqlValue } from './sql.js';

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function keyOf(r: Row): ApiKeyRecord {
  return {
    id: String(r.id),
    hash: String(r.hash),
    salt: String(r.salt),
    role: String(r.role) as Role,
    operator: str(r.operator),
    label: str(r.label),
    organisation: str(r.organisation),
    createdAt: String(r.created_at),
    revokedAt: str(r.revoked_at),
  };
}

function scenarioOf(r: Row): StoredScenario {
  return {
    name: String(r.name),
    body: JSON.parse(String(r.body)) as Record<string, unknown>,
    version: Number(r.version),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    createdBy: str(r.created_by),
    updatedBy: str(r.updated_by),
    owner: str(r.owner),
    visibility: String(r.visibility ?? 'public') as ScenarioVisibility,
  };
}

/** `by` as a key id alone: the key owns what it creates, private (the stores' conformance suite writes so). */
const writeOf = (by: string | null | ScenarioWrite): ScenarioWrite =>
  by !== null && typeof by === 'object' ? by : { by, owner: by, visibility: 'private' };

/** The SQL condition (and its parameters) for what `reader` may see of an owned table. */
function visibleTo(reader: Reader | undefined, publicColumn: string | null): { sql: string; params: SqlValue[] } {
  if (!reader || reader.all) return { sql: '1 = 1', params: [] };
  const pub = publicColumn ? `${publicColumn} = 'public'` : '1 = 0';
  return reader.owner === null ? { sql: pub, params: [] } : { sql: `(${pub} OR owner = ?)`, params: [reader.owner] };
}

function sweepOf(r: Row): StoredSweep {
  return {
    id: String(r.id),
    request: JSON.parse(String(r.request)) as Record<string, unknown>,
    runs: Number(r.runs),
    createdAt: String(r.created_at),
    createdBy: str(r.created_by),
  };
}

function jobOf(r: Row): JobRecord {
  return {
    id: String(r.id),
    kind: String(r.kind),
    params: JSON.parse(String(r.params)),
    status: String(r.status) as JobStatus,
    progress: Number(r.progress),
    progressMessage: str(r.progress_message),
    result: r.result === null || r.result === undefined ? null : JSON.parse(String(r.result)),
    error: str(r.error),
    attempts: Number(r.attempts),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    startedAt: str(r.started_at),
    finishedAt: str(r.finished_at),
    leaseOwner: str(r.lease_owner),
    leaseUntil: str(r.lease_until),
    createdBy: str(r.created_by),
    owner: str(r.owner),
  };
}

function publicationOf(r: Row): StoredPublication {
  return {
    kind: String(r.kind),
    target: String(r.target),
    operator: String(r.operator),
    body: JSON.parse(String(r.body)) as Record<string, unknown>,
    revision: Number(r.revision),
    publishedAt: String(r.published_at),
    publishedBy: str(r.published_by),
  };
}

const jsonOrNull = (v: unknown) =>
  v === null || v === undefined ? null : (JSON.parse(String(v)) as Record<string, unknown>);

const JOB_COLUMNS_WITHOUT_RESULT =
  'id, kind, params, status, progress, progress_message, NULL AS result, error, attempts, created_at, ' +
  'updated_at, started_at, finished_at, lease_owner, lease_until, created_by, owner';

export class SqlStore implements Store {
  readonly tracking: TrackingTables;
  readonly bookings: SqlBookings;
  readonly outbox: SqlOutbox;
  readonly eventSubscriptions: EventSubscriptionTables;
  private constructor(private readonly db: SqlDriver) {
    this.eventSubscriptions = new EventSubscriptionTables(db);
    this.bookings = new SqlBookings(db);
    this.outbox = new SqlOutbox(db);
    this.tracking = new TrackingTables(db);
  }

  /** Opens the store and brings its schema up to date. */
  static async open(db: SqlDriver, now = new Date().toISOString()): Promise<SqlStore> {
    try {
      await migrate(db, now);
    } catch (e) {
      await db.close().catch(() => undefined);
      throw e;
    }
    return new SqlStore(db);
  }

  get dialect() {
    return this.db.dialect;
  }
  get description() {
    return this.db.description;
  }
  async ping(): Promise<void> {
    await this.db.all('SELECT 1 AS ok');
  }
  async schemaVersion(): Promise<number> {
    const rows = await this.db.all('SELECT MAX(version) AS v FROM corridor_migrations');
    return Number(rows[0]?.v ?? 0);
  }
  close(): Promise<void> {
    return this.db.close();
  }

  // --- API keys

  async insertKey(k: ApiKeyRecord): Promise<void> {
    await this.db.run(
      'INSERT INTO api_keys (id, hash, salt, role, operator, label, organisation, created_at, revoked_at) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [k.id, k.hash, k.salt, k.role, k.operator, k.label, k.organisation ?? null, k.createdAt, k.revokedAt],
    );
  }
  async findKey(id: string): Promise<ApiKeyRecord | undefined> {
    const rows = await this.db.all('SELECT * FROM api_keys WHERE id = ?', [id]);
    return rows[0] ? keyOf(rows[0]) : undefined;
  }
  async listKeys(): Promise<ApiKeyRecord[]> {
    return (await this.db.all('SELECT * FROM api_keys ORDER BY created_at, id')).map(keyOf);
  }
  async listKeyPage(after: string | undefined, limit: number): Promise<ApiKeyRecord[]> {
    const rows = await this.db.all(
      `SELECT * FROM api_keys${after !== undefined ? ' WHERE id > ?' : ''} ORDER BY id LIMIT ?`,
      after !== undefined ? [after, limit] : [limit],
    );
    return rows.map(keyOf);
  }
  async revokeKey(id: string, at: string): Promise<boolean> {
    return (
      (await this.db.run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id])) === 1
    );
  }

  // --- sweeps

  async createSweep(w: StoredSweep, tx?: StoreTransaction): Promise<void> {
    await (tx ?? this.db).run('INSERT INTO sweeps (id, request, runs, created_at, created_by) VALUES (?, ?, ?, ?, ?)', [
      w.id,
      JSON.stringify(w.request),
      w.runs,
      w.createdAt,
      w.createdBy,
    ]);
  }
  async findSweep(id: string): Promise<StoredSweep | undefined> {
    const rows = await this.db.all('SELECT * FROM sweeps WHERE id = ?', [id]);
    return rows[0] ? sweepOf(rows[0]) : undefined;
  }
  async listSweeps(o: {
    createdBy: string | null;
    limit: number;
    before?: string;
    beforeId?: string;
  }): Promise<StoredSweep[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (o.createdBy !== null) {
      where.push('created_by = ?');
      params.push(o.createdBy);
    }
    if (o.before !== undefined && o.beforeId !== undefined) {
      where.push('(created_at < ? OR (created_at = ? AND id < ?))');
      params.push(o.before, o.before, o.beforeId);
    } else if (o.before !== undefined) {
      where.push('created_at < ?');
      params.push(o.before);
    }
    const filter = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const sql = `SELECT * FROM sweeps${filter} ORDER BY created_at DESC, id DESC LIMIT ?`;
    return (await this.db.all(sql, [...params, o.limit])).map(sweepOf);
  }

  // --- scenarios

  async listScenarios(): Promise<StoredScenario[]> {
    return (await this.db.all('SELECT * FROM scenarios ORDER BY name')).map(scenarioOf);
  }
  async listScenarioPage(after: string | undefined, limit: number, reader?: Reader): Promise<StoredScenario[]> {
    const v = visibleTo(reader, 'visibility');
    const rows =
      after === undefined
        ? await this.db.all(`SELECT * FROM scenarios WHERE ${v.sql} ORDER BY name LIMIT ?`, [...v.params, limit])
        : await this.db.all(`SELECT * FROM scenarios WHERE name > ? AND ${v.sql} ORDER BY name LIMIT ?`, [
            after,
            ...v.params,
            limit,
          ]);
    return rows.map(scenarioOf);
  }
  async countScenariosCreatedBy(keyId: string): Promise<number> {
    const rows = await this.db.all('SELECT COUNT(*) AS n FROM scenarios WHERE created_by = ?', [keyId]);
    return Number(rows[0]?.n ?? 0);
  }
  async findScenario(name: string): Promise<StoredScenario | undefined> {
    const rows = await this.db.all('SELECT * FROM scenarios WHERE name = ?', [name]);
    return rows[0] ? scenarioOf(rows[0]) : undefined;
  }

  private async nextVersion(tx: SqlExecutor, name: string): Promise<number> {
    const rows = await tx.all('SELECT MAX(version) AS v FROM scenario_revisions WHERE name = ?', [name]);
    return Number(rows[0]?.v ?? 0) + 1;
  }

  private async writeScenario(
    tx: SqlExecutor,
    name: string,
    body: Record<string, unknown>,
    write: string | null | ScenarioWrite,
    now: string,
    existing: StoredScenario | undefined,
  ): Promise<StoredScenario> {
    const version = await this.nextVersion(tx, name);
    const text = JSON.stringify(body);
    const w = writeOf(write);
    const by = w.by;
    // A replacement keeps its owner; a bare key id (no visibility given) keeps the visibility too.
    const visibility = existing && typeof write !== 'object' ? existing.visibility : w.visibility;
    if (existing) {
      await tx.run(
        'UPDATE scenarios SET body = ?, version = ?, updated_at = ?, updated_by = ?, visibility = ? WHERE name = ?',
        [text, version, now, by, visibility, name],
      );
    } else {
      await tx.run(
        'INSERT INTO scenarios (name, body, version, created_at, updated_at, created_by, updated_by, owner, ' +
          'visibility) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [name, text, version, now, now, by, by, w.owner, visibility],
      );
    }
    await tx.run(
      'INSERT INTO scenario_revisions (name, version, body, deleted, at, by_key) VALUES (?, ?, ?, 0, ?, ?)',
      [name, version, text, now, by],
    );
    return {
      name,
      body,
      version,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      createdBy: existing ? existing.createdBy : by,
      updatedBy: by,
      owner: existing ? existing.owner : w.owner,
      visibility,
    };
  }

  private async lockedScenario(tx: SqlExecutor, name: string): Promise<StoredScenario | undefined> {
    const rows = await tx.all(
      `SELECT * FROM scenarios WHERE name = ?${this.db.dialect === 'postgres' ? ' FOR UPDATE' : ''}`,
      [name],
    );
    return rows[0] ? scenarioOf(rows[0]) : undefined;
  }

  async createScenario(
    name: string,
    body: Record<string, unknown>,
    by: string | null | ScenarioWrite,
    now: string,
  ): Promise<StoredScenario | undefined> {
    return this.db.transaction(async (tx) => {
      if (this.db.dialect === 'postgres') await tx.all('SELECT pg_advisory_xact_lock(7200702)');
      if (await this.lockedScenario(tx, name)) return undefined;
      return this.writeScenario(tx, name, body, by, now, undefined);
    });
  }

  async putScenario(
    name: string,
    body: Record<string, unknown>,
    by: string | null | ScenarioWrite,
    now: string,
    ifVersion?: number,
  ): Promise<PutScenarioResult> {
    return this.db.transaction(async (tx) => {
      if (this.db.dialect === 'postgres') await tx.all('SELECT pg_advisory_xact_lock(7200702)');
      const existing = await this.lockedScenario(tx, name);
      if (ifVersion !== undefined && (existing?.version ?? 0) !== ifVersion)
        return { outcome: 'version-mismatch', current: existing };
      const scenario = await this.writeScenario(tx, name, body, by, now, existing);
      return { outcome: existing ? 'updated' : 'created', scenario };
    });
  }

  async deleteScenario(name: string, by: string | null, now: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (this.db.dialect === 'postgres') await tx.all('SELECT pg_advisory_xact_lock(7200702)');
      const existing = await this.lockedScenario(tx, name);
      if (!existing) return false;
      const version = await this.nextVersion(tx, name);
      await tx.run('DELETE FROM scenarios WHERE name = ?', [name]);
      await tx.run(
        'INSERT INTO scenario_revisions (name, version, body, deleted, at, by_key) VALUES (?, ?, NULL, 1, ?, ?)',
        [name, version, now, by],
      );
      return true;
    });
  }

  async listScenarioRevisions(name: string): Promise<ScenarioRevision[]> {
    const rows = await this.db.all('SELECT * FROM scenario_revisions WHERE name = ? ORDER BY version', [name]);
    return rows.map((r) => ({
      name: String(r.name),
      version: Number(r.version),
      body: r.body === null ? null : (JSON.parse(String(r.body)) as Record<string, unknown>),
      deleted: Number(r.deleted) === 1,
      at: String(r.at),
      by: str(r.by_key),
    }));
  }

  // --- operator publications

  async listPublications(): Promise<StoredPublication[]> {
    return (await this.db.all('SELECT * FROM publications ORDER BY revision')).map(publicationOf);
  }

  /** Serializes publication writes (PostgreSQL: across instances) and returns the next revision. */
  private async nextPublicationRevision(tx: SqlExecutor): Promise<number> {
    if (this.db.dialect === 'postgres') await tx.all('SELECT pg_advisory_xact_lock(7200703)');
    const rows = await tx.all('SELECT MAX(revision) AS v FROM publication_revisions');
    return Number(rows[0]?.v ?? 0) + 1;
  }

  async putPublication(
    p: { kind: string; target: string; operator: string; body: Record<string, unknown> },
    by: string | null,
    now: string,
  ): Promise<StoredPublication> {
    return this.db.transaction(async (tx) => {
      const revision = await this.nextPublicationRevision(tx);
      const prev = (
        await tx.all('SELECT body FROM publications WHERE kind = ? AND target = ? AND operator = ?', [
          p.kind,
          p.target,
          p.operator,
        ])
      )[0];
      const text = JSON.stringify(p.body);
      if (prev) {
        await tx.run(
          'UPDATE publications SET body = ?, revision = ?, published_at = ?, published_by = ? ' +
            'WHERE kind = ? AND target = ? AND operator = ?',
          [text, revision, now, by, p.kind, p.target, p.operator],
        );
      } else {
        await tx.run(
          'INSERT INTO publications (kind, target, operator, body, revision, published_at, published_by) ' +
            'VALUES (?, ?, ?, ?, ?, ?, ?)',
          [p.kind, p.target, p.operator, text, revision, now, by],
        );
      }
      await tx.run(
        `INSERT INTO publication_revisions (revision, kind, target, operator, action, body, previous, at, ` +
          `by_key) VALUES (?, ?, ?, ?, 'publish', ?, ?, ?, ?)`,
        [revision, p.kind, p.target, p.operator, text, prev ? String(prev.body) : null, now, by],
      );
      return { ...p, revision, publishedAt: now, publishedBy: by };
    });
  }

  async deletePublication(
    kind: string,
    target: string,
    by: string | null,
    now: string,
    operator?: string,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const revision = await this.nextPublicationRevision(tx);
      const which = operator === undefined ? '' : ' AND operator = ?';
      const args = operator === undefined ? [kind, target] : [kind, target, operator];
      const prev = (await tx.all(`SELECT * FROM publications WHERE kind = ? AND target = ?${which}`, args))[0];
      if (!prev) return false;
      await tx.run('DELETE FROM publications WHERE kind = ? AND target = ? AND operator = ?', [
        kind,
        target,
        String(prev.operator),
      ]);
      await tx.run(
        `INSERT INTO publication_revisions (revision, kind, target, operator, action, body, previous, at, ` +
          `by_key) VALUES (?, ?, ?, ?, 'delete', NULL, ?, ?, ?)`,
        [revision, kind, target, String(prev.operator), String(prev.body), now, by],
      );
      return true;
    });
  }

  async listPublicationRevisions(
    filter: { operator?: string; kind?: string; target?: string; afterRevision?: number; limit?: number } = {},
  ): Promise<PublicationRevision[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.afterRevision !== undefined) {
      where.push('revision > ?');
      params.push(filter.afterRevision);
    }
    for (const [col, v] of [
      ['operator', filter.operator],
      ['kind', filter.kind],
      ['target', filter.target],
    ] as const) {
      if (v === undefined) continue;
      where.push(`${col} = ?`);
      params.push(v);
    }
    const rows = await this.db.all(
      `SELECT * FROM publication_revisions${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY revision` +
        (filter.limit !== undefined ? ' LIMIT ?' : ''),
      filter.limit !== undefined ? [...params, filter.limit] : params,
    );
    return rows.map((r) => ({
      revision: Number(r.revision),
      kind: String(r.kind),
      target: String(r.target),
      operator: String(r.operator),
      action: String(r.action) as PublicationRevision['action'],
      body: jsonOrNull(r.body),
      previous: jsonOrNull(r.previous),
      at: String(r.at),
      by: str(r.by_key),
    }));
  }

  async publicationRevision(): Promise<number> {
    const rows = await this.db.all('SELECT MAX(revision) AS v FROM publication_revisions');
    return Number(rows[0]?.v ?? 0);
  }

  // --- jobs of the lease queue (decision 0009): history, and the open ones carried over to the job engine

  async findJob(id: string): Promise<JobRecord | undefined> {
    const rows = await this.db.all('SELECT * FROM jobs WHERE id = ?', [id]);
    return rows[0] ? jobOf(rows[0]) : undefined;
  }
  async listJobs(opts: JobListQuery): Promise<JobRecord[]> {
    const conds: string[] = [];
    const params: SqlValue[] = [];
    if (opts.status) {
      conds.push('status = ?');
      params.push(opts.status);
    }
    if (opts.owner !== undefined) {
      conds.push('owner = ?');
      params.push(opts.owner);
    }
    if (opts.before !== undefined) {
      const cut = opts.before.indexOf('|');
      const at = opts.before.slice(0, cut);
      const id = opts.before.slice(cut + 1);
      // Newest first: the page after (at, id) is everything strictly older in that order.
      conds.push('(created_at < ? OR (created_at = ? AND id < ?))');
      params.push(at, at, id);
    }
    params.push(opts.limit);
    const where = conds.length ? `WHERE ${conds.join(' AND ')}` : '';
    return (
      await this.db.all(
        `SELECT ${JOB_COLUMNS_WITHOUT_RESULT} FROM jobs ${where} ORDER BY created_at DESC, id DESC LIMIT ?`,
        params,
      )
    ).map(jobOf);
  }
  async openLegacyJobs(): Promise<JobRecord[]> {
    return (await this.db.all(`SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at, id`)).map(
      jobOf,
    );
  }
  async deleteLegacyJobs(ids: readonly string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const id of ids) await tx.run(`DELETE FROM jobs WHERE id = ? AND status IN ('queued', 'running')`, [id]);
    });
  }

  get driver(): SqlDriver {
    return this.db;
  }
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    const dialect = this.db.dialect;
    return this.db.transaction((tx) =>
      fn({ dialect, all: tx.all.bind(tx), run: tx.run.bind(tx), ...(tx.raw ? { raw: tx.raw.bind(tx) } : {}) }),
    );
  }
}
