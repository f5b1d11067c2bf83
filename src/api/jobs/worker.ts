/**
 * Worker-thread entry: loads the dataset once, then runs one job at a time for the pool.
 * Messages in: {type: 'run', jobId, kind, params, overlay, today}. Out: ready, progress (at most
 * every 200 ms), done {result}, failed {message, userError}.
 *
 * Jobs see the World of the publication revision they were sent with — the same World the API
 * answers in — through the same application service as every other edge.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDataset } from '../../data/load.js';
import { isCorridorError } from '../../model/errors.js';
import type { PublicationSnapshot } from '../../scenario/publications.js';
import { CorridorService } from '../../service/service.js';
import { createHighsSolver } from '../../solver/highs.js';
import { HttpProblem } from '../problem.js';
import { findJobKind } from './registry.js';
import { worldPlaces } from '../../data/gazetteer.js';
import { worldsOf } from './worlds.js';

if (!parentPort) throw new Error('worker.ts runs as a worker thread of the job pool');
const port = parentPort;
const { dataDir } = workerData as { dataDir: string };
const load = loadDataset(dataDir);
/** The World of a revision: the files plus the publications sent (kept while the revision holds). */
const worldFor = worldsOf(load.dataset);

interface RunMessage {
  type: 'run';
  jobId: string;
  kind: string;
  params: unknown;
  overlay?: PublicationSnapshot;
  /** The API's date (YYYY-MM-DD), so a job prices "today" as the API does. */
  today?: string;
}

port.on('message', async (msg: RunMessage) => {
  if (msg.type !== 'run') return;
  const kind = findJobKind(msg.kind);
  if (!kind) {
    port.postMessage({ type: 'failed', jobId: msg.jobId, message: `unknown job kind "${msg.kind}"`, userError: true });
    return;
  }
  const today = msg.today;
  const service = new CorridorService({
    world: worldFor(msg.overlay),
    ...(today !== undefined ? { today: () => today } : {}),
    solver: () => createHighsSolver(),
    places: worldPlaces,
  });
  let last = 0;
  try {
    const params = kind.params.parse(msg.params);
    const result = await kind.run(params, {
      service,
      progress(done, total, message) {
        const now = Date.now();
        if (now - last < 200 && done < total) return;
        last = now;
        port.postMessage({
          type: 'progress',
          jobId: msg.jobId,
          fraction: total > 0 ? done / total : 0,
          message: message ?? null,
        });
      },
    });
    port.postMessage({ type: 'done', jobId: msg.jobId, result });
  } catch (e) {
    const userError = isCorridorError(e) || e instanceof HttpProblem;
    port.postMessage({
      type: 'failed',
      jobId: msg.jobId,
      message: userError ? (e as Error).message : `internal error in job kind ${msg.kind}`,
      userError,
      ...(userError ? {} : { internal: e instanceof Error ? e.message : String(e) }),
    });
  }
});
port.postMessage({ type: 'ready', errors: load.errors.length });
