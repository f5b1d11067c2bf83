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
