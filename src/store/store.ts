/**
 * The service's durable state behind one interface, implemented on SQLite (embedded, default) and
 * PostgreSQL (many instances). Both run the same schema and migrations (migrations.ts) and pass the
 * same conformance suite (test/store/conformance.ts). Every write is one transaction.
 */

import type { TrackingRepository } from '../tracking/records.js';
import type { BookingRepository } from '../booking/ports.js';
import type { EventSubscriptionRepository } from '../tracking/subscriptions.js';
import type { SqlDriver, SqlExecutor } from './sql.js';

/** A transaction of the store: `?` statements, and on PostgreSQL raw `$n` ones (pg-boss's). */
export interface StoreTransaction extends SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
}

export const ROLES = ['viewer', 'planner', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKeyRecord {
  /** Public part of the key, e.g. `k3f9a1c2d4e5`; the secret part is stored only as a hash. */
  id: string;
  /** scrypt(secret, salt), base64url. */
  hash: string;
  salt: string;
  role: Role;
  /**
   * For the operator role: the operator id (src/model/operators.ts) whose services, tariffs and capacities the key may
   * publish.
   */
  operator: string | null;
  label: string | null;
  /**
   * The organisation the key belongs to (docs/security.md "Ownership"): keys of one organisation
   * share its scenarios, jobs and bookings. Null or absent: the key is an organisation of its own.
   */
  organisation?: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** An organisation name: lower-case words joined by hyphens, at most 64 characters. */
export const ORGANISATION_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export function organisationProblem(name: string): string | undefined {
  if (name.length > 64) return 'at most 64 characters';
  if (!ORGANISATION_PATTERN.test(name)) return 'lower-case letters and digits, words joined by hyphens (acme-freight)';
  return undefined;
}

/** Who owns what a key creates: `org:<organisation>`, or the key id for a key without one. */
export const ownerToken = (k: { keyId: string; organisation: string | null }): string =>
  k.organisation ? `org:${k.organisation}` : k.keyId;

/** Who is reading: the owner token (null: anonymous) and whether every object is visible (admin). */
export interface Reader {
  owner: string | null;
  all: boolean;
}

export const SCENARIO_VISIBILITIES = ['private', 'public'] as const;
export type ScenarioVisibility = (typeof SCENARIO_VISIBILITIES)[number];

export interface StoredScenario {
  name: string;
  /** The scenario document as validated at the boundary (today `{name, title, description}`). */
  body: Record<string, unknown>;
  /** 1 on creation, +1 on every replacement (also across a delete and re-create). */
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string | null;
  updatedBy: string | null;
  /** The owner token (`ownerToken`) of the creator: only it (or an admin) changes or deletes it. */
  owner: string | null;
  /** private: its owner's organisation (and admins) only; public: every reader. */
  visibility: ScenarioVisibility;
}

/** What a scenario write stores besides the body. */
export interface ScenarioWrite {
  by: string | null;
  owner: string | null;
  visibility: ScenarioVisibility;
}

/** A page of the lease queue's job history. */
export interface JobListQuery {
  limit: number;
  status?: JobStatus;
  /** Only jobs of this owner token (omit for all: admins). */
  owner?: string;
  /** The `createdAt|id` of the last job of the previous page (newest first). */
  before?: string;
}

/** A sweep's header; its runs are `sweep-draw` jobs whose ids derive from the sweep id and run index. */
export interface StoredSweep {
  id: string;
  /** The sweep request as validated at the boundary. */
  request: Record<string, unknown>;
  runs: number;
  createdAt: string;
  createdBy: string | null;
}

export interface ScenarioRevision {
  name: string;
  version: number;
  body: Record<string, unknown> | null;
  deleted: boolean;
  at: string;
  by: string | null;
}

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobRecord {
  id: string;
  kind: string;
  params: unknown;
  status: JobStatus;
  /** 0 … 1. */
  progress: number;
  progressMessage: string | null;
  result: unknown;
  error: string | null;
  /** How many times a runner has claimed the job. */
  attempts: number;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  leaseOwner: string | null;
  leaseUntil: string | null;
  createdBy: string | null;
  /** The owner token of the creator: only it (or an admin) reads or cancels the job. */
  owner?: string | null;
}

/** An operator publication as stored: `body` is the validated request (see src/scenario/publications.ts). */
export interface StoredPublication {
  kind: string;
  target: string;
  /** Operator id (slug) it was published for. */
  operator: string;
  body: Record<string, unknown>;
  /** The revision that wrote it (numbered across all publications). */
  revision: number;
  publishedAt: string;
  publishedBy: string | null;
}

export interface PublicationRevision {
  revision: number;
  kind: string;
  target: string;
  operator: string;
  /** publish: `body` became current; withdraw-publication: the record went back to the files' value. */
  action: 'publish' | 'delete';
  body: Record<string, unknown> | null;
  /** The publication it replaced (null: the files' value was in effect). */
  previous: Record<string, unknown> | null;
  at: string;
  by: string | null;
}

export type PutScenarioResult =
  | { outcome: 'created' | 'updated'; scenario: StoredScenario }
  | { outcome: 'version-mismatch'; current: StoredScenario | undefined };

/** A webhook subscription: events for `owner` (a key id, `operator:<id>`, or `*` for admins) go to `url`. */
export interface Subscription {
  id: string;
  owner: string;
  url: string;
  /** HMAC-SHA256 secret the deliveries are signed with. */
  secret: string;
  /** Topic prefixes (`booking.`), or `*`. */
  topics: string[];
  createdAt: string;
  /**
   * `webhook`: one CloudEvent per POST with Standard Webhooks signatures; `tnt`: a DCSA event
   * subscription, POSTed arrays of events signed with `Notification-Signature` (src/notify).
   */
  kind?: 'webhook' | 'tnt';
  /** DCSA event subscriptions: the most events its receiver accepted in one POST (halved on each 413). */
  deliveryBatch?: number | null;
  /** Its receiver's `Retry-After`: nothing is sent before this instant, by any instance. */
  pausedUntil?: string | null;
}

/** One notification to one subscription, as the outbox holds it. */
export interface OutboxMessage {
  id: string;
  subscription: string;
  topic: string;
  payload: Record<string, unknown>;
  createdAt: string;
  attempts: number;
  nextAttemptAt: string;
  deliveredAt: string | null;
  failedAt: string | null;
  lastError: string | null;
}

/** An event to write to the outbox: one row per matching subscription of every audience party. */
export interface OutboxEvent {
  topic: string;
  audience: readonly string[];
  payload: Record<string, unknown>;
}

/**
 * The transactional outbox (src/notify delivers it). State changes write their events in their own
 * transaction (`enqueue` here stands alone, for writers without one); deliveries are claimed with a
 * lease, so several instances share the work and a crashed one's claims come back.
 */
export interface OutboxStore {
  subscribe(s: Subscription): Promise<void>;
  listSubscriptions(owner?: string): Promise<Subscription[]>;
  findSubscription(id: string): Promise<Subscription | undefined>;
  unsubscribe(id: string): Promise<boolean>;
  enqueue(events: readonly OutboxEvent[], now: string): Promise<number>;
  /** Due, undelivered messages, leased to `owner` until `leaseUntil`. */
  claimDue(owner: string, now: string, leaseUntil: string, limit: number): Promise<OutboxMessage[]>;
  delivered(id: string, now: string): Promise<void>;
  /** Several delivered at once (one array callback), in one statement. */
  deliveredAll(ids: readonly string[], now: string): Promise<void>;
  /** Gives claimed messages back, due at `nextAttemptAt`, without counting an attempt (not sent). */
  postpone(ids: readonly string[], nextAttemptAt: string): Promise<void>;
  /** A failed attempt: retry at `nextAttemptAt`, or give up (`nextAttemptAt` null). */
  failed(id: string, error: string, now: string, nextAttemptAt: string | null): Promise<void>;
  list(filter: { subscription?: string; limit: number }): Promise<OutboxMessage[]>;
  /** Records what a receiver asked for (a smaller batch after a 413, a pause after Retry-After). */
  setDeliveryState(id: string, state: { deliveryBatch?: number; pausedUntil?: string }): Promise<void>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Bookings, their legs and history, departure inventory, routings and idempotency records. */
  readonly bookings: BookingRepository;
  readonly outbox: OutboxStore;
  /** DCSA Track & Trace event subscriptions (their notifications go through `outbox`). */
  readonly eventSubscriptions: EventSubscriptionRepository;
  /** Where the data lives, without credentials (for logs and /ready). */
  readonly description: string;
  /** Cheap round trip, for /ready. */
  ping(): Promise<void>;
  schemaVersion(): Promise<number>;
  close(): Promise<void>;

  insertKey(k: ApiKeyRecord): Promise<void>;
  findKey(id: string): Promise<ApiKeyRecord | undefined>;
  listKeys(): Promise<ApiKeyRecord[]>;
  /** At most `limit` keys with ids after `after`, by id (a page of a list). */
  listKeyPage(after: string | undefined, limit: number): Promise<ApiKeyRecord[]>;
  /** False when no such active key exists. */
  revokeKey(id: string, at: string): Promise<boolean>;

  listScenarios(): Promise<StoredScenario[]>;
  /**
   * At most `limit` scenarios with names after `after`, by name (a page of a list); with `reader`,
   * only those it may see (public ones and its owner's).
   */
  listScenarioPage(after: string | undefined, limit: number, reader?: Reader): Promise<StoredScenario[]>;
  /** How many stored scenarios this key created (the per-key quota). */
  countScenariosCreatedBy(keyId: string): Promise<number>;
  findScenario(name: string): Promise<StoredScenario | undefined>;
  /** Undefined when the name is taken. */
  createScenario(
    name: string,
    body: Record<string, unknown>,
    by: string | null | ScenarioWrite,
    now: string,
  ): Promise<StoredScenario | undefined>;
  /**
   * Create or replace; with `ifVersion`, only when the stored version is that one (0 = must not
   * exist). A replacement keeps the owner; `by` as a key id alone keeps the visibility too.
   */
  putScenario(
    name: string,
    body: Record<string, unknown>,
    by: string | null | ScenarioWrite,
    now: string,
    ifVersion?: number,
  ): Promise<PutScenarioResult>;
  deleteScenario(name: string, by: string | null, now: string): Promise<boolean>;
  listScenarioRevisions(name: string): Promise<ScenarioRevision[]>;

  listPublications(): Promise<StoredPublication[]>;
  /** Creates or replaces the publication of (kind, target, operator) and records the revision. */
  putPublication(
    p: { kind: string; target: string; operator: string; body: Record<string, unknown> },
    by: string | null,
    now: string,
  ): Promise<StoredPublication>;
  /**
   * Removes `operator`'s publication of (kind, target) (without `operator`: the first one found);
   * the files' value, or the other operators' publications, apply again. False when there is none.
   */
  deletePublication(kind: string, target: string, by: string | null, now: string, operator?: string): Promise<boolean>;
  /** Oldest first; all operators when `operator` is not given; a page with `afterRevision` and `limit`. */
  listPublicationRevisions(filter?: {
    operator?: string;
    kind?: string;
    target?: string;
    afterRevision?: number;
    limit?: number;
  }): Promise<PublicationRevision[]>;
  /** The newest publication revision (0: none yet): instances poll it to pick up changes. */
  publicationRevision(): Promise<number>;

  /** Jobs of the lease queue (decision 0009), kept as history; the job engine has the rest (src/queue). */
  findJob(id: string): Promise<JobRecord | undefined>;
  /** Newest first; without the (possibly large) result. */
  listJobs(opts: JobListQuery): Promise<JobRecord[]>;
  /** The lease queue's queued and running jobs, oldest first: carried over to the job engine at start. */
  openLegacyJobs(): Promise<JobRecord[]>;
  deleteLegacyJobs(ids: readonly string[]): Promise<void>;

  /** The database, for the in-process job queue that lives in it. */
  readonly driver: SqlDriver;
  /** One transaction of the store's database: a job enqueued with `tx` exists only if it commits. */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;

  /** Sweeps (headers only: the runs live on the job engine). */
  /** In `tx` when given: a sweep is written with its runs' jobs, all or nothing. */
  createSweep(s: StoredSweep, tx?: StoreTransaction): Promise<void>;
  findSweep(id: string): Promise<StoredSweep | undefined>;
  /**
   * Newest first; `createdBy` null = everyone's (admin). `before`: created before this time, or at it
   * with an id below `beforeId` (the last item of the previous page).
   */
  listSweeps(opts: {
    createdBy: string | null;
    limit: number;
    before?: string;
    beforeId?: string;
  }): Promise<StoredSweep[]>;

  /** Track & trace events and forecasts (src/store/tracking.ts). */
  readonly tracking: TrackingRepository;
}
