/**
 * Worker-thread entry: loads the dataset once, then runs one job at a time for the pool.
 * Messages in: {type: 'run', jobId, kind, params}. Out: ready, progress (at most every 200 ms),
 * done {result}, failed {message, userError}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadDataset } from '../../data/load.js';
import { isCorridorError } from '../../model/errors.js';
import { compileNetwork, type CompiledNetwork } from '../../network/compile.js';
import { HttpProblem } from '../problem.js';
import { findJobKind } from './registry.js';
import type { Dataset } from '../../model/types.js';
import { applyPublications, type PublicationSnapshot } from '../../scenario/publications.js';

const port = parentPort!;
const { dataDir } = workerData as { dataDir: string };
const load = loadDataset(dataDir);
const nets = new Map<string, CompiledNetwork>();
/** The dataset jobs see: the files plus the operator publications of the last revision sent. */
let world: Dataset = load.dataset;
let worldRevision = 0;
const network = (scenario?: string) => {
  const key = scenario ?? '';
  let n = nets.get(key);
  if (!n) {
    n = compileNetwork(world, scenario !== undefined ? { scenario } : {});
    nets.set(key, n);
  }
  return n;
};
function useOverlay(o: PublicationSnapshot | undefined): void {
  const revision = o?.revision ?? 0;
  if (revision === worldRevision) return;
  world = applyPublications(load.dataset, o?.publications ?? []);
  worldRevision = revision;
  nets.clear();
}

port.on(
  'message',
  async (msg: { type: 'run'; jobId: string; kind: string; params: unknown; overlay?: PublicationSnapshot }) => {
    if (msg.type !== 'run') return;
    useOverlay(msg.overlay);
    const kind = findJobKind(msg.kind);
    if (!kind) {
      port.postMessage({
        type: 'failed',
        jobId: msg.jobId,
        message: `unknown job kind "${msg.kind}"`,
        userError: true,
      });
      return;
    }
    let last = 0;
    try {
      const params = kind.params.parse(msg.params);
      const result = await kind.run(params, {
        dataset: world,
        network,
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
        message: userError
          ? (e as Error).message
          : `internal error in job kind ${msg.kind}: ${e instanceof Error ? e.message : String(e)}`,
        userError,
      });
    }
  },
);
port.postMessage({ type: 'ready', errors: load.errors.length });
