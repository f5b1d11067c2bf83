/**
 * The browser-safe domain API: model, compiled network and routing. No IO.
 * Node-only loading lives in src/data and is not exported from here.
 */
export * from './model/types.js';
export * from './model/units.js';
export * from './model/errors.js';
export * from './model/places.js';
export * from './network/compile.js';
export * from './routing/constraints.js';
export * from './routing/pareto.js';
export * from './routing/route.js';
export * from './routing/itinerary.js';
export * from './routing/explain.js';
export * from './routing/presets.js';
export * from './routing/engine.js';
export * from './model/iso-time.js';
export * from './model/timezones.js';
export * from './scenario/changes.js';
export * from './schedule/calendar.js';
export * from './schedule/distributions.js';
export * from './schedule/timetable.js';
export * from './schedule/departures.js';
export {
  timedParetoSearch,
  bannedRides,
  type TimedPath,
  type TimedStep,
  type TimedSearchInput,
} from './schedule/search.js';
export * from './schedule/reliability.js';
export * from './schedule/itinerary.js';
export * from './schedule/plan.js';
export * from './schedule/dcsa.js';
export { Rng, hashSeed } from './schedule/rng.js';
export * from './model/pricing-types.js';
export * from './model/pricing-select.js';
export * from './tariff/cargo.js';
export * from './tariff/fx.js';
export * from './tariff/tariff-set.js';
export * from './tariff/pricer.js';
export * from './tariff/priced-network.js';
export * from './tariff/quote.js';
export * from './tariff/priced-routes.js';
export * from './emissions/footprint.js';
export * from './emissions/pact.js';
export * from './tariff/priced-plan.js';
// Flows and scenario overlays (the LP solver is passed in: HiGHS lives in src/solver, Node-only).
export {
  applyScenario,
  applyScenarios,
  scenarioChain,
  type AppliedScenario,
  type ScenarioEffect,
} from './scenario/apply.js';
export { compareAssignments, compareLanes, type AssignmentComparison, type LaneChange } from './flow/compare.js';
export {
  assign,
  buildAssignmentProblem,
  isSingleCommodity,
  type AssignmentResult,
  type AssignOptions,
  type Bottleneck,
  type LinkFlow,
  type NodeFlow,
} from './flow/assign.js';
export { demandInTeu, type DemandOd } from './flow/demand.js';
export { laneRoutes, type LaneRoute } from './flow/lanes.js';
export {
  networkSimplex,
  NetworkSimplexWorkspace,
  type MinCostFlowProblem,
  type MinCostFlowResult,
} from './flow/network-simplex.js';
export { solveColumnGeneration } from './flow/column-generation.js';
export { buildArcLp } from './flow/arc-lp.js';
export type { LpModel, LpResult, LpSession, LpSolver, CscMatrix } from './flow/lp.js';
export type { MultiCommodityProblem, FlowSolution, SolveProgress } from './flow/problem.js';
