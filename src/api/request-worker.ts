/**
 * Request worker thread: loads the dataset once, then computes one route, quote or plan at a time
 * for the request pool (request-pool.ts), in the World of the revision it was sent with, through
 * the same application service the main thread would use — so the answer is the one the main
 * thread would have computed. It speaks the job pool's protocol (jobs/pool.ts): ready, then run →
 * done {result} | failed {message, userError, error}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { worldPlaces } from '../data/gazetteer.js';
import { loadDataset } from '../data/load.js';
import { CorridorError, InvalidRequestError } from '../model/errors.js';
import { type AnswerTask, CorridorService, type EncodedAnswer, encodeAnswer } from '../service/service.js';
import { worldsOf } from './jobs/worlds.js';

if (!parentPort) throw new Error('request-worker.ts runs as a worker thread of the request pool');
const port = parentPort;
const { dataDir } = workerData as { dataDir: string };
const load = loadDataset(dataDir);
const worldFor = worldsOf(load.dataset);

/** A user error as plain data; request-pool.ts rebuilds the same error on the main thread. */
export type PlainCorridorError =
  | { type: 'invalid-request'; problems: InvalidRequestError['problems'] }
  | {
      type: 'corridor';
      code: CorridorError['code'];
      message: string;
      details: Record<string, unknown>;
      field?: string;
    };

function plain(e: unknown): PlainCorridorError | undefined {
  if (e instanceof InvalidRequestError) return { type: 'invalid-request', problems: e.problems };
  if (e instanceof CorridorError)
    return {
      type: 'corridor',
      code: e.code,
      message: e.message,
      details: e.details,
      ...(e.field !== undefined ? { field: e.field } : {}),
    };
  return undefined;
}

async function answer(task: AnswerTask): Promise<unknown> {
  const stored = task.stored;
  const service = new CorridorService({
    world: worldFor(task.world),
    today: () => task.today,
    places: worldPlaces,
    // The main thread caches in front of the pool; a second cache here would only hold copies.
    answerCacheEntries: 0,
    catalog: {
      find: async (name) => stored.find((s) => s.name === name),
      names: async () => stored.map((s) => s.name),
    },
  });
  const check = <P extends { key: string }>(p: P): P => {
    // The same key means the same World, scenarios and request: anything else is a bug, not an answer.
    if (p.key !== task.key) throw new Error(`request key mismatch in the worker: ${p.key} ≠ ${task.key}`);
    return p;
  };
  const encode = (a: unknown) => (task.encoded ? encodeAnswer(a) : a);
  switch (task.kind) {
    case 'route':
      return encode(
        service.route(check(await service.prepareRoute(task.raw)), {
          ...(task.explain !== undefined ? { explain: task.explain } : {}),
        }),
      );
    case 'quote':
      return encode(service.quote(check(await service.prepareQuote(task.raw))));
    case 'plan': {
      const p = check(await service.preparePlan(task.raw));
      if (!task.encoded) return service.plan(p);
      const { answer, routings } = service.planned(p);
      return encodeAnswer(answer, routings);
    }
  }
}

/** An encoded answer's bytes go to the request thread as a transfer: no copy, nothing to clone. */
function transferOf(result: unknown): ArrayBuffer[] {
  const json = (result as Partial<EncodedAnswer> | undefined)?.json;
  if (!(json instanceof Uint8Array) || !(json.buffer instanceof ArrayBuffer)) return [];
  // Only a buffer the bytes have to themselves: transferring a shared one would take it from its other users.
  return json.byteOffset === 0 && json.byteLength === json.buffer.byteLength ? [json.buffer] : [];
}

port.on('message', async (msg: { type: string; jobId: string; params: AnswerTask }) => {
  if (msg.type !== 'run') return;
  try {
    const result = await answer(msg.params);
    port.postMessage({ type: 'done', jobId: msg.jobId, result }, transferOf(result));
  } catch (e) {
    const error = plain(e);
    port.postMessage({
      type: 'failed',
      jobId: msg.jobId,
      message: error ? (e as Error).message : 'internal error computing the answer',
      userError: error !== undefined,
      ...(error ? { error } : { internal: e instanceof Error ? e.message : String(e) }),
    });
  }
});
port.postMessage({ type: 'ready', errors: load.errors.length });
