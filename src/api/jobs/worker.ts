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

const port = parentPort!;
const { dataDir } = workerData as { dataDir: string };
const load = loadDataset(dataDir);
const nets = new Map<string, CompiledNetwork>();
const network = (scenario?: string) => {
  const key = scenario ?? '';
  let n = nets.get(key);
  if (!n) {
    n = compileNetwork(load.dataset, scenario !== undefined ? { scenario } : {});
    nets.set(key, n);
  }
  return n;
};

port.on('message', async (msg: { type: 'run'; jobId: string; kind: string; params: unknown }) => {
  if (msg.type !== 'run') return;
  const kind = findJobKind(msg.kind);
  if (!kind) {
    port.postMessage({ type: 'failed', jobId: msg.jobId, message: `unknown job kind "${msg.kind}"`, userError: true });
    return;
  }
  let last = 0;
  try {
    const params = kind.params.parse(msg.params);
    const result = await kind.run(params, {
      dataset: load.dataset,
      network,
      progress(done, total, message) {
        const now = Date.now();
        if (now - last < 200 && done < total) return;
        last = now;
        port.postMessage({ type: 'progress', jobId: msg.jobId, fraction: total > 0 ? done / total : 0, message: message ?? null });
      },
    });
    port.postMessage({ type: 'done', jobId: msg.jobId, result });
  } catch (e) {
    const userError = isCorridorError(e) || e instanceof HttpProblem;
    port.postMessage({
      type: 'failed',
      jobId: msg.jobId,
      message: userError ? (e as Error).message : `internal error in job kind ${msg.kind}: ${e instanceof Error ? e.message : String(e)}`,
      userError,
    });
  }
});
port.postMessage({ type: 'ready', errors: load.errors.length });
