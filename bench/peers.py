#!/usr/bin/python3
"""Python peers for the Corridor shortest-path bench: scipy.sparse.csgraph.dijkstra and igraph.

Usage: peers.py DIR PEER WARMUP MIN_RUNS MAX_RUNS BUDGET_MS
DIR holds meta.json ({"n", "m", "source"}), start.u32, target.u32 (CSR, little-endian) and
weight.f64. Loads the graph (untimed), runs the one-source query WARMUP times untimed, then times
it with time.perf_counter as often as fits in BUDGET_MS (estimated from the last warm-up run),
between MIN_RUNS and MAX_RUNS times; writes the distances of the last run to DIR/dist-PEER.f64 and
prints one JSON line: {"peer", "version", "samples_ms", "build_ms"}.
Exit status 3 with {"error": "missing", ...} when the peer's module cannot be imported.
"""
import json
import os
import sys
import time


def main():
    d, peer = sys.argv[1], sys.argv[2]
    warmup, min_runs, max_runs, budget_ms = (int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]))
    import numpy as np

    with open(os.path.join(d, "meta.json")) as f:
        meta = json.load(f)
    n, source = meta["n"], meta["source"]
    start = np.fromfile(os.path.join(d, "start.u32"), dtype="<u4")
    target = np.fromfile(os.path.join(d, "target.u32"), dtype="<u4")
    weight = np.fromfile(os.path.join(d, "weight.f64"), dtype="<f8")
    assert start.shape == (n + 1,) and target.shape == weight.shape == (meta["m"],)

    t0 = time.perf_counter()
    if peer == "scipy":
        try:
            import scipy
            from scipy.sparse import csr_matrix
            from scipy.sparse.csgraph import dijkstra
        except ImportError as e:
            print(json.dumps({"error": "missing", "detail": str(e)}))
            sys.exit(3)
        version = f"scipy {scipy.__version__}, numpy {np.__version__}"
        g = csr_matrix((weight, target.astype(np.int32), start.astype(np.int32)), shape=(n, n))
        g.has_sorted_indices  # noqa: B018 (computed once, outside the timed region)

        def query():
            return dijkstra(g, directed=True, indices=source)

    elif peer == "igraph":
        try:
            import igraph
        except ImportError as e:
            print(json.dumps({"error": "missing", "detail": str(e)}))
            sys.exit(3)
        version = f"python-igraph {igraph.__version__}"
        tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(start.astype(np.int64)))
        edges = np.column_stack((tails, target.astype(np.int64))).tolist()
        g = igraph.Graph(n=n, edges=edges, directed=True)
        g.es["weight"] = weight.tolist()

        def query():
            return g.distances(source=[source], weights="weight", mode="out")[0]

    else:
        print(json.dumps({"error": "unknown-peer", "detail": peer}))
        sys.exit(2)
    build_ms = (time.perf_counter() - t0) * 1000

    est = 0.0
    for _ in range(max(1, warmup)):
        t = time.perf_counter()
        query()
        est = (time.perf_counter() - t) * 1000
    runs = min(max_runs, max(min_runs, int(-(-budget_ms // max(est, 1e-3)))))
    samples = []
    result = None
    for _ in range(runs):
        t = time.perf_counter()
        result = query()
        samples.append((time.perf_counter() - t) * 1000)
    np.asarray(result, dtype="<f8").tofile(os.path.join(d, f"dist-{peer}.f64"))
    print(json.dumps({"peer": peer, "version": version, "samples_ms": samples, "build_ms": build_ms}))


if __name__ == "__main__":
    main()
