/**
 * `corridor quote <from> <to>`: the Pareto options for a real shipment (containers, weight,
 * flags) on a date, each with an itemised quote and an ISO 14083 footprint; `--format pact`
 * exports the footprints as PACT ProductFootprints with the iLEAP ShipmentFootprint extension.
 * Registered by main.ts, which passes in its shared helpers (no import back, so no cycle).
 */
import { Option, type Command } from 'commander';
import type { PricedDataset } from '../model/pricing-types.js';
import { compileNetwork } from '../network/compile.js';
import type { RouteQuery } from '../routing/route.js';
import { findPricedRoutes, type PricedRouteResult } from '../tariff/priced-routes.js';
import { toPactProductFootprint } from '../emissions/pact.js';
import { formatQuote } from './format-quote.js';
import { scenarioDataset } from './scenario-option.js';

export interface QuoteCommandDeps {
  loadDataset(dir: string | undefined): { dataset: PricedDataset };
  parseRouteOptions(opts: Record<string, unknown>, dataset: PricedDataset): Omit<RouteQuery, 'from' | 'to'>;
  usageError(message: string): Error;
  dataDir(): string | undefined;
  out(s: string): void;
  setStatus(code: number): void;
  /** Clock for the PACT `created` field (the core reads none). */
  now(): Date;
}

interface QuoteOpts {
  containers?: string;
  weight?: string;
  date?: string;
  ready?: string;
  dangerousGoods?: boolean;
  reefer?: boolean;
  option?: string;
  format?: 'text' | 'json' | 'pact';
  json?: boolean;
  pact?: boolean;
  company?: string;
  scenario?: string;
  [k: string]: unknown;
}

export function registerQuoteCommand(program: Command, deps: QuoteCommandDeps): void {
  program
    .command('quote')
    .description('itemised quote and ISO 14083 footprint of every Pareto option for a shipment')
    .argument('<from>', 'origin: name, alias or code (e.g. "Xi\'an", CNXIA)')
    .argument('<to>', 'destination: name, alias or code (e.g. Duisburg, DEDUI)')
    .option(
      '--containers <list>',
      'containers as NxTYPE, comma-separated: ISO 6346 codes (22G1, 42G1, 45G1, L5G1, 22R1, 45R1) or shorthands (20, 40, 40HC, 45, 20RF, 40RF)',
      '1x40',
    )
    .option(
      '--weight <mass>',
      'cargo mass over all containers, without the boxes (e.g. 20t, 18500kg); default: a typical load per container',
    )
    .option(
      '--date <YYYY-MM-DD>',
      'price with the tariff set and exchange rates valid on this date (default: the latest tariff set)',
    )
    .option('--ready <YYYY-MM-DD>', 'date the cargo is ready; prices for that date when --date is not given')
    .option('--dangerous-goods', 'the cargo is dangerous goods (surcharges; links that refuse them are avoided)')
    .option('--reefer', 'the cargo needs a reefer container (surcharges; links that refuse reefers are avoided)')
    .option('--avoid <countries>', 'comma-separated ISO alpha-2 codes no leg, node or passage may touch (e.g. RU,IR)')
    .option('--modes <modes>', 'comma-separated allowed modes (rail, road, sea, ferry)')
    .option('--avoid-passages <ids>', 'comma-separated sea passages to avoid')
    .option('--avoid-places <places>', 'comma-separated places (names or codes) to avoid')
    .option('--max-transshipments <n>', 'at most this many changes of mode or gauge')
    .option('--max-options <n>', 'stop after this many options (approximate)')
    .option(
      '--scenario <name>',
      'quote in the world of a scenario: its links, capacities, times and closures (corridor scenario list)',
    )
    .option('--option <n>', 'show (or export) only this option')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'pact']))
    .option('--json', 'same as --format json')
    .option('--pact', 'same as --format pact: PACT ProductFootprints with the iLEAP ShipmentFootprint extension')
    .option('--company <name>', 'company name written into PACT exports', 'Corridor planning estimate')
    .action((from: string, to: string, opts: QuoteOpts) => {
      const { dataset: base } = deps.loadDataset(deps.dataDir());
      // The scenario's world (overlays, closures, dwell changes); the pricing files travel along.
      const dataset = scenarioDataset(base, opts.scenario).dataset;
      if (!dataset.pricing)
        throw deps.usageError(
          'this dataset has no pricing files (tariffs/, fx.yaml, container-types.yaml, emission-factors.yaml); `corridor quote` needs them',
        );
      const format = opts.pact ? 'pact' : opts.json ? 'json' : (opts.format ?? 'text');
      if ([opts.pact, opts.json, opts.format !== undefined].filter(Boolean).length > 1)
        throw deps.usageError('give one of --format, --json and --pact');
      let date = opts.date;
      if (date === undefined && opts.ready !== undefined) {
        const m = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?Z?)?$/.exec(opts.ready);
        if (!m) throw deps.usageError(`--ready: "${opts.ready}" is not a date YYYY-MM-DD (optionally with THH:MM)`);
        date = m[1];
      }
      let only: number | undefined;
      if (opts.option !== undefined) {
        only = Number(opts.option);
        if (!Number.isInteger(only) || only < 1)
          throw deps.usageError(`--option: "${opts.option}" is not an option number ≥ 1`);
      }
      const routeOpts = deps.parseRouteOptions(opts, dataset);
      const net = compileNetwork(dataset, opts.scenario !== undefined ? { scenario: opts.scenario } : {});
      const result = findPricedRoutes(
        dataset,
        net,
        { from, to, ...routeOpts },
        {
          cargo: {
            ...(opts.containers !== undefined ? { containers: opts.containers } : {}),
            ...(opts.weight !== undefined ? { weight: opts.weight } : {}),
            dangerousGoods: opts.dangerousGoods === true,
            reefer: opts.reefer === true,
          },
          ...(date !== undefined ? { date } : {}),
        },
      );
      if (only !== undefined && !result.options.some((o) => o.option === only)) {
        throw deps.usageError(
          `--option: there is no option ${only}; this query has ${result.options.length} option(s)`,
        );
      }
      if (format === 'pact')
        deps.out(
          `${JSON.stringify(pactExport(result, only, opts.company ?? 'Corridor planning estimate', deps.now()), null, 2)}\n`,
        );
      else if (format === 'json')
        deps.out(
          `${JSON.stringify(only === undefined ? result : { ...result, options: result.options.filter((o) => o.option === only) }, null, 2)}\n`,
        );
      else deps.out(`${formatQuote(result, only)}\n`);
      if (result.options.length === 0) deps.setStatus(1);
    });
}

/** The PACT ListFootprints response shape: `{data: [ProductFootprint, …]}`, one per option. */
export function pactExport(r: PricedRouteResult, only: number | undefined, company: string, now: Date) {
  const created = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const options = only === undefined ? r.options : r.options.filter((o) => o.option === only);
  const byId = new Map<string, { name: string; country: string }>();
  for (const o of r.options)
    for (const l of o.legs) {
      byId.set(l.from, { name: l.fromName, country: l.countries[0] ?? '' });
      byId.set(l.to, { name: l.toName, country: l.countries[l.countries.length - 1] ?? '' });
    }
  return {
    data: options.map((o) =>
      toPactProductFootprint({
        shipmentId: `${r.origin.id}-${r.destination.id}-${r.pricing.date}-option-${o.option}`,
        footprint: o.emissions,
        legs: o.legs.map((l) => ({
          linkId: l.linkId,
          from: l.from,
          to: l.to,
          fromName: l.fromName,
          toName: l.toName,
          fromCountry: byId.get(l.from)!.country,
          toCountry: byId.get(l.to)!.country,
        })),
        containerCount: r.pricing.shipment.containerCount,
        created,
        date: r.pricing.date,
        companyName: company,
        description: `${r.pricing.shipment.description}, ${r.origin.name} → ${r.destination.name}: ${o.summary}`,
        gwp: r.pricing.gwp,
      }),
    ),
  };
}
