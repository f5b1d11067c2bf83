/**
 * Entries for the tariff and footprint layer (issue 5): what pricing costs on top of routing.
 * - `quote price network`: putting the tariff components and ISO 14083 factors on every arc of
 *   the default network for one shipment and date (priceNetwork), against compiling the network
 *   itself (compileNetwork, rates.yaml costs) as the reference;
 * - `quote findPricedRoutes`: a whole quote (cargo, tariff set, priced network, Pareto search,
 *   itemised quotes and footprints) against findRoutes on the unpriced network, same query.
 * Both peers are our own code: the ratios are overheads, not comparisons with another library.
 */
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeRuns } from './stats.js';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const QUERIES = [
  ["Xi'an", 'Duisburg'],
  ['Shanghai', 'Rotterdam'],
  ['Altynkol', 'Poti'],
];

/**
 * @param {any} ds a loaded PricedDataset
 * @param {{quick: boolean, log: (s: string) => void}} o
 */
export async function pricingEntries(ds, { quick, log }) {
  if (!ds.pricing) {
    log('  quote entries skipped: the dataset has no pricing files');
    return [
      {
        name: 'quote findPricedRoutes',
        oursMs: null,
        peer: null,
        peerMs: null,
        ratio: null,
        skipped: true,
        note: 'no pricing files in the dataset',
      },
    ];
  }
  const { compileNetwork } = await import(join(DIST, 'network', 'compile.js'));
  const { findRoutes } = await import(join(DIST, 'routing', 'route.js'));
  const { findPricedRoutes, createPricingContext } = await import(join(DIST, 'tariff', 'priced-routes.js'));
  const { priceNetwork } = await import(join(DIST, 'tariff', 'priced-network.js'));
  const reps = quick
    ? { warmup: 5, minRuns: 10, maxRuns: 100, budgetMs: 1500 }
    : { warmup: 20, minRuns: 30, maxRuns: 500, budgetMs: 5000 };
  const net = compileNetwork(ds);
  const size = `${net.locations.length} locations, ${net.arcCount} arcs`;
  const out = [];

  // A fresh context each run (createPricingContext): the first quote for a shipment and date pays this;
  // findPricedRoutes below reuses the context of a repeated request, as a server answering many quotes would.
  const price = timeRuns(() => {
    const ctx = createPricingContext(ds, { cargo: { containers: '2x40HC,1x20', weight: '40t' }, date: '2024-04-01' });
    priceNetwork(net, ctx.pricer, ctx.footprinter, { origin: 0, destination: 1 });
  }, reps);
  const compile = timeRuns(() => compileNetwork(ds), reps);
  out.push({
    name: 'quote price network',
    oursMs: price.medianMs,
    peer: 'compileNetwork (ours, rates.yaml costs)',
    peerMs: compile.medianMs,
    ratio: price.medianMs / compile.medianMs,
    graph: size,
    note: 'tariff components and ISO 14083 factors on every arc for 2×40HC+1×20, 40 t, 2024-04-01',
  });
  log(`  quote price network: ${price.medianMs.toFixed(3)} ms vs compileNetwork ${compile.medianMs.toFixed(3)} ms`);

  for (const [from, to] of QUERIES) {
    const quote = timeRuns(
      () => findPricedRoutes(ds, net, { from, to }, { cargo: { containers: '1x40' }, date: '2024-04-01' }),
      reps,
    );
    const plain = timeRuns(() => findRoutes(net, { from, to }), reps);
    out.push({
      name: `quote findPricedRoutes ${from} → ${to}`,
      oursMs: quote.medianMs,
      peer: 'findRoutes (ours, unpriced rates.yaml costs)',
      peerMs: plain.medianMs,
      ratio: quote.medianMs / plain.medianMs,
      graph: size,
      note:
        'whole quote: cargo, tariff set, priced network, Pareto search with explanations, itemised quotes ' +
        'and footprints',
    });
    log(`  quote ${from} → ${to}: ${quote.medianMs.toFixed(2)} ms vs findRoutes ${plain.medianMs.toFixed(2)} ms`);
  }
  return out;
}
