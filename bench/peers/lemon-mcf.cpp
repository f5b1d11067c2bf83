// LEMON network simplex on a DIMACS min-cost flow file: the peer of bench/flow.js.
// Prints one JSON line: {"status", "totalCost", "samplesMs": [...], "runOnlyMs": [...]}.
// samplesMs spans the same work as ours (networkSimplex() with a reused workspace): copying the
// graph into the solver's arrays (reset(): arc ids, sources/targets in mixed order), copying
// capacities, costs and supplies in, run(), and reading flows (per input arc) and potentials out.
// runOnlyMs is run() alone (init + pivots), for reference. The DIMACS parse and the SmartDigraph
// are built once, outside both spans, as our bench builds its typed arrays once.
// Build: g++ -O2 -std=c++17 lemon-mcf.cpp -o lemon-mcf -llemon   (Debian: apt-get install liblemon-dev)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <lemon/dimacs.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

using namespace lemon;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: lemon-mcf FILE.min RUNS\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  int runs = std::atoi(argv[2]);
  SmartDigraph g;
  SmartDigraph::ArcMap<long long> lower(g), cap(g), cost(g), flow(g);
  SmartDigraph::NodeMap<long long> supply(g), potential(g);
  readDimacsMin(in, g, lower, cap, cost, supply);
  using NS = NetworkSimplex<SmartDigraph, long long, long long>;
  NS ns(g);
  std::string samples, runOnly;
  long long total = 0;
  const char* status = "?";
  for (int r = 0; r < runs; r++) {
    auto t0 = std::chrono::steady_clock::now();
    ns.reset();
    ns.upperMap(cap).costMap(cost).supplyMap(supply);
    auto t1 = std::chrono::steady_clock::now();
    auto res = ns.run(NS::BLOCK_SEARCH);
    auto t2 = std::chrono::steady_clock::now();
    ns.flowMap(flow);
    ns.potentialMap(potential);
    auto t3 = std::chrono::steady_clock::now();
    status = res == NS::OPTIMAL ? "optimal" : res == NS::INFEASIBLE ? "infeasible" : "unbounded";
    total = ns.totalCost();
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%.6f", r ? "," : "", std::chrono::duration<double, std::milli>(t3 - t0).count());
    samples += buf;
    std::snprintf(buf, sizeof buf, "%s%.6f", r ? "," : "", std::chrono::duration<double, std::milli>(t2 - t1).count());
    runOnly += buf;
  }
  std::printf("{\"samplesMs\":[%s],\"runOnlyMs\":[%s],\"status\":\"%s\",\"totalCost\":%lld}\n", samples.c_str(), runOnly.c_str(), status, total);
  return 0;
}
