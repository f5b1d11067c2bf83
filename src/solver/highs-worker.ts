/**
 * Worker-thread entry: owns one HiGHS instance and answers LP requests from highs.ts, so a long
 * solve never blocks the main thread (progress output, cancellation, a server's event loop).
 */
import { parentPort } from 'node:worker_threads';
import { HighsBackend, loadHighsModule } from './highs-backend.js';
import type { WorkerRequest, WorkerResponse } from './highs-protocol.js';
import { must } from '../model/invariant.js';

const backend = new HighsBackend(await loadHighsModule());
const port = must(parentPort);
port.postMessage({ id: 0, ok: true, value: backend.name } satisfies WorkerResponse);

port.on('message', (req: WorkerRequest) => {
  let res: WorkerResponse;
  try {
    switch (req.op) {
      case 'solve':
        res = { id: req.id, ok: true, value: backend.solve(req.model, req.timeLimitS) };
        break;
      case 'open':
        res = { id: req.id, ok: true, value: backend.open(req.model) };
        break;
      case 'addColumns':
        backend.addColumns(req.session, req.cost, req.lower, req.upper, req.matrix);
        res = { id: req.id, ok: true, value: null };
        break;
      case 'solveSession':
        res = { id: req.id, ok: true, value: backend.solveSession(req.session) };
        break;
      case 'close':
        backend.close(req.session);
        res = { id: req.id, ok: true, value: null };
        break;
    }
  } catch (e) {
    res = { id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(res);
});
