/** What request handlers need of the jobs (jobs.ts implements it); its own file keeps context.ts out of a cycle. */
import type { JobQueue, JobState, QueueTransaction } from '../../queue/queue.js';
import type { JobRecord } from '../../store/store.js';

export interface JobsView {
  readonly queue: JobQueue;
  /** `owner`: the owner token (store.ts `ownerToken`) of who asked; default `createdBy`. */
  submit(
    kind: string,
    params: unknown,
    createdBy: string | null,
    tx?: QueueTransaction,
    owner?: string | null,
  ): Promise<JobRecord>;
  find(id: string, kind?: string): Promise<JobRecord | undefined>;
  /** Newest first; with `owner`, only that owner's; `before`: the `createdAt|id` of the last one already served. */
  list(opts: { limit: number; status?: JobState; owner?: string; before?: string }): Promise<JobRecord[]>;
  cancel(id: string): Promise<boolean>;
}
