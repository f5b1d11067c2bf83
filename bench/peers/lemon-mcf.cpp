// LEMON network simplex on a DIMACS min-cost flow file: the peer of bench/flow.js.
// Prints one JSON line: {"status", "totalCost", "samplesMs": [...]} — times cover run() only
// (graph and maps built once; resetParams() between runs), the same span timed for ours.
// Build: g++ -O2 -std=c++17 lemon-mcf.cpp -o lemon-mcf -llemon   (Debian: apt-get install liblemon-dev)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
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
  SmartDigraph::ArcMap<long long> lower(g), cap(g), cost(g);
  SmartDigraph::NodeMap<long long> supply(g);
  readDimacsMin(in, g, lower, cap, cost, supply);
  NetworkSimplex<SmartDigraph, long long, long long> ns(g);
  std::printf("{\"samplesMs\":[");
  long long total = 0;
  const char* status = "?";
  for (int r = 0; r < runs; r++) {
    ns.resetParams();
    ns.upperMap(cap).costMap(cost).supplyMap(supply);
    auto t0 = std::chrono::steady_clock::now();
    auto res = ns.run(NetworkSimplex<SmartDigraph, long long, long long>::BLOCK_SEARCH);
    auto t1 = std::chrono::steady_clock::now();
    status = res == decltype(ns)::OPTIMAL ? "optimal" : res == decltype(ns)::INFEASIBLE ? "infeasible" : "unbounded";
    total = ns.totalCost();
    std::printf("%s%.6f", r ? "," : "", std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::printf("],\"status\":\"%s\",\"totalCost\":%lld}\n", status, total);
  return 0;
}
