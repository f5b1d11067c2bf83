/** What request handlers need of the jobs (jobs.ts implements it); its own file keeps context.ts out of a cycle. */
import type { JobQueue, JobState, QueueTransaction } from '../../queue/queue.js';
import type { JobRecord } from '../../store/store.js';

export interface JobsView {
  readonly queue: JobQueue;
  submit(kind: string, params: unknown, createdBy: string | null, tx?: QueueTransaction): Promise<JobRecord>;
  find(id: string, kind?: string): Promise<JobRecord | undefined>;
  list(opts: { limit: number; status?: JobState }): Promise<JobRecord[]>;
  cancel(id: string): Promise<boolean>;
}
