/**
 * scipy and igraph peers, run by /usr/bin/python3 (Debian's python3-scipy and python3-igraph).
 * The graph goes over as binary files in a temp dir; Python times only the query, with
 * time.perf_counter, and sends back its samples and the distances of its last run.
 * The bench never installs anything: a missing module is reported with the command that installs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '..', 'peers.py');

/** What to import to call a peer available, and the Debian package that provides it. */
export const PYTHON_PEERS = {
  scipy: { module: 'scipy.sparse.csgraph', debian: 'python3-scipy' },
  igraph: { module: 'igraph', debian: 'python3-igraph' },
};

/**
 * @param {'scipy' | 'igraph'} peer
 * @returns {{available: true} | {available: false, why: string, install: string}}
 */
export function pythonPeerAvailable(peer) {
  const { module, debian } = PYTHON_PEERS[peer];
  const install = `apt-get update && apt-get install -y ${debian}`;
  const r = spawnSync(PYTHON, ['-c', `import numpy, ${module}`], { encoding: 'utf8' });
  if (r.error)
    return {
      available: false,
      why: `${PYTHON} not found (${r.error.message})`,
      install: `apt-get install -y python3 python3-numpy ${debian}`,
    };
  if (r.status !== 0) {
    const last = (r.stderr.trim().split('\n').pop() ?? '').trim();
    return { available: false, why: `${PYTHON} cannot import ${module} (${last})`, install };
  }
  return { available: true };
}

/**
 * Writes a graph for peers.py. Returns the temp dir and a cleanup function.
 * @param {import('./graphs.js').BenchGraph} bg
 */
export function exportGraph(bg) {
  const dir = mkdtempSync(join(tmpdir(), 'corridor-bench-'));
  const { csr, weight } = bg;
  writeFileSync(
    join(dir, 'meta.json'),
    JSON.stringify({ n: csr.vertexCount, m: csr.target.length, source: bg.source }),
  );
  // Typed arrays are written in the machine's byte order; peers.py reads little-endian (x86/arm64).
  writeFileSync(join(dir, 'start.u32'), csr.start);
  writeFileSync(join(dir, 'target.u32'), csr.target);
  writeFileSync(join(dir, 'weight.f64'), weight);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs one Python peer on an exported graph.
 * @param {string} dir
 * @param {'scipy' | 'igraph'} peer
 * @param {import('./stats.js').Reps} reps
 * @returns {{version: string, samplesMs: number[], buildMs: number, dist: Float64Array}}
 */
export function runPythonPeer(dir, peer, { warmup, minRuns, maxRuns, budgetMs }) {
  let out;
  try {
    out = execFileSync(
      PYTHON,
      [SCRIPT, dir, peer, String(warmup), String(minRuns), String(maxRuns), String(budgetMs)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 * 1024 * 1024,
      },
    );
  } catch (e) {
    const err = /** @type {any} */ (e);
    throw new Error(
      `${peer} (python) failed with status ` +
        `${err.status}: ${String(err.stderr ?? '').trim() || String(err.stdout ?? '').trim()}`,
    );
  }
  const res = JSON.parse(out.trim().split('\n').pop() ?? '{}');
  const buf = readFileSync(join(dir, `dist-${peer}.f64`));
  const dist = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  return { version: res.version, samplesMs: res.samples_ms, buildMs: res.build_ms, dist };
}
