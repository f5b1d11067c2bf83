/**
 * The server's effective dataset: the files plus the operator publications in the store. Every
 * instance keeps the publication revision it has applied; after its own writes, and on a timer
 * for the writes of other instances sharing the database, it compares that with the store's
 * revision and, when it moved, re-reads the publications, applies them (src/scenario/
 * publications.ts) and installs a new World (src/service/world.ts) in the service. Requests already running
 * finish on the world they started with.
 * Publications that no longer fit the files (changed since they were published) are held back,
 * not applied and not deleted: the operator sees them with the reasons.
 */
import type { PricedDataset } from '../model/pricing-types.js';
import { screenPublications, type HeldBackPublication } from '../data/check-publication.js';
import type { Publication, PublicationSnapshot } from '../scenario/publications.js';
import type { Store, StoredPublication } from '../store/store.js';

export function toPublication(p: StoredPublication): Publication {
  return {
    kind: p.kind,
    target: p.target,
    operator: p.operator,
    body: p.body,
    revision: p.revision,
    publishedAt: p.publishedAt,
    publishedBy: p.publishedBy,
  } as unknown as Publication;
}

export class PublishedWorld {
  /** The revision applied (0: the files only). */
  revision = 0;
  /** Every stored publication, applied or held back. */
  publications: Publication[] = [];
  /** The publications applied to the effective dataset. */
  applied: Publication[] = [];
  /** Stored publications that no longer fit the data files, with the reasons (screenPublications). */
  heldBack: HeldBackPublication[] = [];
  private refreshing: Promise<boolean> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    /** The dataset of the files. */
    readonly base: PricedDataset,
    /** Installs a new effective dataset (app.ts: a new World in the service, in one step). */
    private readonly install: (
      world: PricedDataset,
      revision: number,
      applied: readonly Publication[],
      heldBack: readonly HeldBackPublication[],
    ) => void,
  ) {}

  /**
   * Brings the context up to the store's publications; true when the world changed. Concurrent
   * callers share one refresh, and a call made during a refresh runs another one after it, so a
   * write is always visible once its own refresh resolves.
   */
  refresh(): Promise<boolean> {
    if (this.refreshing) {
      return this.refreshing.then(() => this.refresh());
    }
    this.refreshing = this.load().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async load(): Promise<boolean> {
    const revision = await this.store.publicationRevision();
    if (revision === this.revision) return false;
    const publications = (await this.store.listPublications()).map(toPublication);
    const { applied, heldBack, world } = screenPublications(this.base, publications);
    this.install(world, revision, applied, heldBack);
    this.publications = publications;
    this.applied = applied;
    this.heldBack = heldBack;
    this.revision = revision;
    return true;
  }

  snapshot(): PublicationSnapshot {
    return { revision: this.revision, publications: this.applied };
  }

  /** Polls the store every `ms` for other instances' writes (0: never). */
  start(ms: number, onError: (e: unknown) => void): void {
    if (ms <= 0) return;
    this.timer = setInterval(() => void this.refresh().catch(onError), ms);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
