/**
 * A thread that checkpoints a SQLite WAL file for the request thread's connection (sqlite.ts,
 * `backgroundCheckpointMs`). SQLite's automatic checkpoint runs inside the commit that crosses the
 * threshold, on the committing connection: with better-sqlite3 that is the event loop, which it
 * blocked 8–38 ms at a time under the plan load (decision 0031). A PASSIVE checkpoint from another
 * connection copies committed frames into the database file without taking the write lock, so the
 * request thread's writers and readers never wait for it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

if (!parentPort) throw new Error('sqlite-checkpointer.ts runs as a worker thread of the SQLite driver');
const port = parentPort;
const { file, intervalMs } = workerData as { file: string; intervalMs: number };
const db = new Database(file);
db.pragma('busy_timeout = 5000');
// A checkpoint that syncs what it copies: the pages are on disk before the WAL frames are reused.
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');

// The driver ends this thread with terminate(); SQLite needs no close to stay consistent.
let checkpoints = 0;
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    checkpoints++;
    port.postMessage({ type: 'checkpoint', checkpoints });
  } catch {
    // Busy (another connection checkpointing, a lock held): the next tick tries again.
  }
}, intervalMs);
port.postMessage({ type: 'ready' });
