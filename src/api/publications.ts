/**
 * The server's effective dataset: the files plus the operator publications in the store. Every
 * instance keeps the publication revision it has applied; after its own writes, and on a timer
 * for the writes of other instances sharing the database, it compares that with the store's
 * revision and, when it moved, re-reads the publications, applies them (src/scenario/
 * publications.ts) and swaps the dataset, the compiled networks and timetables and the response
 * caches in the context. Requests already running finish on the world they started with.
 */
import type { PricedDataset } from '../model/pricing-types.js';
import { applyPublications, type Publication } from '../scenario/publications.js';
import type { StoredPublication } from '../store/store.js';
import { NetworkCache, TimetableCache, type ServiceContext } from './context.js';
import { BufferLru } from './lru.js';

export function toPublication(p: StoredPublication): Publication {
  return { kind: p.kind, target: p.target, operator: p.operator, body: p.body, revision: p.revision, publishedAt: p.publishedAt, publishedBy: p.publishedBy } as unknown as Publication;
}

/** What a job worker needs to see the same world: the publications at a revision. */
export interface PublicationSnapshot {
  revision: number;
  publications: Publication[];
}

export class PublishedWorld {
  /** The revision applied (0: the files only). */
  revision = 0;
  publications: Publication[] = [];
  private refreshing: Promise<boolean> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: ServiceContext,
    /** The dataset of the files. */
    readonly base: PricedDataset,
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
    const revision = await this.ctx.store.publicationRevision();
    if (revision === this.revision) return false;
    const publications = (await this.ctx.store.listPublications()).map(toPublication);
    const world = applyPublications(this.base, publications);
    const { ctx } = this;
    ctx.dataset = world;
    ctx.networks = new NetworkCache(world);
    ctx.timetables = new TimetableCache(world, ctx.networks);
    ctx.routeCache = new BufferLru<string>(ctx.config.routeCacheEntries, ctx.config.routeCacheMb * 1024 * 1024);
    ctx.routeUrlCache = new BufferLru<string>(ctx.config.routeCacheEntries, ctx.config.routeCacheMb * 1024 * 1024);
    this.publications = publications;
    this.revision = revision;
    return true;
  }

  snapshot(): PublicationSnapshot {
    return { revision: this.revision, publications: this.publications };
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
