/**
 * Loads a dataset directory: parses every file, validates each record on its own (one bad record
 * never hides the others), runs the cross-record checks, and returns the dataset together with
 * the full issue report. Never throws for bad data.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type {
  CommodityCatalog,
  Corridor,
  Dataset,
  DemandSet,
  Link,
  Location,
  Passage,
  Rates,
  Scenario,
  Service,
  Source,
  Transfer,
} from '../model/types.js';
import { IssueReport, formatPath, type DataIssue } from './issues.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';
import {
  CorridorSchema,
  LinkSchema,
  LocationSchema,
  PassageSchema,
  RatesSchema,
  SourceSchema,
  TransferSchema,
} from './schema.js';
import { ServiceSchema } from './schema-services.js';
import { ScenarioFileSchema } from './schema-scenarios.js';
import { CommoditiesFileSchema, DemandSetSchema } from './schema-demand.js';
import { checkDataset, type RecordOrigin } from './checks.js';
import { checkScenariosAndDemand } from './checks-scenarios.js';
import { countProvenance, type ProvenanceCounts } from './provenance.js';
import { loadPricing } from './load-pricing.js';
import { checkPricing } from './checks-pricing.js';
import type { PricedDataset } from '../model/pricing-types.js';

export interface LoadResult {
  /** The records that passed their schema (present even when there are errors, for reporting). */
  dataset: PricedDataset;
  issues: DataIssue[];
  errors: DataIssue[];
  warnings: DataIssue[];
  provenance: ProvenanceCounts;
  dir: string;
}

/** The dataset shipped with Corridor. */
export function defaultDataDir(): string {
  // dist/data/load.js and src/data/load.ts both sit two levels below the package root.
  return fileURLToPath(new URL('../../data', import.meta.url));
}

export function zodIssues(
  report: IssueReport,
  yf: YamlFile,
  basePath: PropertyKey[],
  error: z.ZodError,
  id: string | undefined,
): void {
  for (const issue of error.issues) {
    const path = [...basePath, ...issue.path];
    const received = 'input' in issue && issue.input !== undefined ? describeValue(issue.input) : undefined;
    let message = issue.message;
    if (issue.code === 'invalid_type' && issue.expected === 'object' && typeof issue.input === 'number') {
      message = `a bare number has no provenance: write {value: ${issue.input}, source: <id in sources.yaml>} or {value: ${issue.input}, assumption: "<reasoning>"}`;
    } else if (issue.code === 'unrecognized_keys')
      message = `unknown field(s) ${issue.keys.map((k) => `\`${k}\``).join(', ')}`;
    else if (issue.code === 'invalid_value' && 'values' in issue) {
      message = `${received !== undefined ? `${received} is not valid; ` : ''}expected one of ${issue.values.map(String).join(', ')}`;
    } else if (received !== undefined && issue.code !== 'custom') message = `${message} (got ${received})`;
    else if (issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined)
      message = `\`${String(issue.path[issue.path.length - 1] ?? 'value')}\` is required (${message})`;
    report.error({ file: yf.file, line: yf.lineOf(path), id, path: formatPath(path), code: 'schema', message });
  }
}

function describeValue(v: unknown): string {
  const s = JSON.stringify(v);
  if (s === undefined) return String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Validates the list under `key` record by record. */
export function loadList<T>(
  report: IssueReport,
  yf: YamlFile | undefined,
  key: string,
  schema: z.ZodType<unknown>,
  origins: Map<object, RecordOrigin>,
): T[] {
  if (!yf) return [];
  const root = yf.data;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    report.error({
      file: yf.file,
      line: 1,
      code: 'schema',
      message: `expected a mapping with a \`${key}:\` list at the top`,
    });
    return [];
  }
  const extra = Object.keys(root).filter((k) => k !== key);
  if (extra.length > 0) {
    report.error({
      file: yf.file,
      line: yf.lineOf([extra[0]!]),
      code: 'schema',
      message: `unknown top-level key(s) ${extra.map((k) => `\`${k}\``).join(', ')}; this file holds only \`${key}:\``,
    });
  }
  const list = (root as Record<string, unknown>)[key];
  if (!Array.isArray(list)) {
    report.error({ file: yf.file, line: yf.lineOf([key]), code: 'schema', message: `\`${key}\` must be a list` });
    return [];
  }
  const out: T[] = [];
  list.forEach((item, index) => {
    const id = item && typeof item === 'object' && 'id' in item ? String((item as { id: unknown }).id) : undefined;
    const parsed = schema.safeParse(item, { reportInput: true });
    if (!parsed.success) {
      zodIssues(report, yf, [key, index], parsed.error, id);
      return;
    }
    const record = parsed.data as T & object;
    origins.set(record, { file: yf.file, path: [key, index], lineOf: yf.lineOf });
    out.push(record);
  });
  return out;
}

export function loadDataset(dir: string = defaultDataDir()): LoadResult {
  const report = new IssueReport();
  const origins = new Map<object, RecordOrigin>();
  const empty: Rates = {
    cargo: {
      teu: { value: 2, assumption: 'placeholder used only when rates.yaml fails to load' },
      grossTonnes: { value: 20, assumption: 'placeholder used only when rates.yaml fails to load' },
    },
    modes: [],
    emissionFactors: [],
  };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    report.error({
      file: dir,
      code: 'dataset-missing',
      message: `not a dataset directory: ${dir} (expected sources.yaml, locations.yaml, links.yaml, …)`,
    });
    return finish(
      report,
      {
        sources: [],
        locations: [],
        links: [],
        transfers: [],
        passages: [],
        corridors: [],
        rates: empty,
        scenarios: [],
        services: [],
      },
      [],
      dir,
    );
  }
  const read = (file: string) => readYamlFile(join(dir, file), file, report);
  const files = {
    sources: read('sources.yaml'),
    locations: read('locations.yaml'),
    links: read('links.yaml'),
    transfers: read('transfers.yaml'),
    passages: read('passages.yaml'),
    corridors: read('corridors.yaml'),
    rates: read('rates.yaml'),
    // Optional: without it every link is continuously available (the nominal regime).
    services: existsSync(join(dir, 'services.yaml')) ? read('services.yaml') : undefined,
  };
  const sources = loadList<Source>(report, files.sources, 'sources', SourceSchema, origins);
  const locations = loadList<Location>(report, files.locations, 'locations', LocationSchema, origins);
  const links = loadList<Link>(report, files.links, 'links', LinkSchema, origins);
  const transfers = loadList<Transfer>(report, files.transfers, 'transfers', TransferSchema, origins);
  const passages = loadList<Passage>(report, files.passages, 'passages', PassageSchema, origins);
  const corridors = loadList<Corridor>(report, files.corridors, 'corridors', CorridorSchema, origins);
  const services = loadList<Service>(report, files.services, 'services', ServiceSchema, origins);

  let rates = empty;
  if (files.rates) {
    const parsed = RatesSchema.safeParse(files.rates.data, { reportInput: true });
    if (parsed.success) {
      rates = parsed.data as Rates;
      origins.set(rates, { file: 'rates.yaml', path: [], lineOf: files.rates.lineOf });
    } else zodIssues(report, files.rates, [], parsed.error, undefined);
  }

  const scenarios: Scenario[] = [];
  const scenarioFiles: YamlFile[] = [];
  const scenarioDir = join(dir, 'scenarios');
  if (existsSync(scenarioDir)) {
    for (const name of readdirSync(scenarioDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const file = `scenarios/${name}`;
      const yf = readYamlFile(join(scenarioDir, name), file, report);
      if (!yf) continue;
      scenarioFiles.push(yf);
      const parsed = ScenarioFileSchema.safeParse(yf.data, { reportInput: true });
      if (!parsed.success) {
        zodIssues(report, yf, [], parsed.error, name.replace(/\.yaml$/, ''));
        continue;
      }
      const s = parsed.data as Scenario;
      if (`${s.name}.yaml` !== name) {
        report.error({
          file,
          line: yf.lineOf(['name']),
          id: s.name,
          path: 'name',
          code: 'scenario-file-name',
          message: `scenario \`${s.name}\` must live in scenarios/${s.name}.yaml`,
        });
      }
      origins.set(s, { file, path: [], lineOf: yf.lineOf });
      scenarios.push(s);
    }
  }

  const priced = loadPricing(dir, report, origins, { loadList, zodIssues });
  const { demand, commodities, demandFiles } = loadDemand(dir, report, origins);
  const dataset: PricedDataset = {
    sources,
    locations,
    links,
    transfers,
    passages,
    corridors,
    rates,
    scenarios,
    services,
    ...(priced.pricing ? { pricing: priced.pricing } : {}),
    ...(demand ? { demand } : {}),
    ...(commodities ? { commodities } : {}),
  };
  // Ids of links that are in links.yaml but failed their schema: references to them are not reported again.
  const listed = (files.links?.data as { links?: unknown } | undefined)?.links;
  const linkIdsInFile = new Set(
    Array.isArray(listed)
      ? listed.map((l) => (l && typeof l === 'object' ? String((l as { id?: unknown }).id) : ''))
      : [],
  );
  checkDataset(dataset, origins, report, { linkIdsInFile });
  checkPricing(dataset, origins, report, {
    links: linkIdsInFile,
    locations: rawIdsOf(files.locations, 'locations', 'id'),
  });
  checkScenariosAndDemand(dataset, origins, report);
  const raw = [...Object.values(files), ...scenarioFiles, ...priced.files, ...demandFiles]
    .filter((f): f is YamlFile => f !== undefined)
    .map((f) => ({ file: f.file, data: f.data, lineOf: f.lineOf }));
  return finish(report, dataset, raw, dir);
}

/** Ids of the records in a file, whether or not they passed their schema. */
function rawIdsOf(yf: YamlFile | undefined, key: string, field: string): Set<string> {
  const list = (yf?.data as Record<string, unknown> | null | undefined)?.[key];
  if (!Array.isArray(list)) return new Set();
  return new Set(
    list
      .map((r) => (r && typeof r === 'object' ? (r as Record<string, unknown>)[field] : undefined))
      .filter((x): x is string => typeof x === 'string'),
  );
}

/** The optional demand side: commodities.yaml and demand/<name>.yaml. Absent files are not an error. */
function loadDemand(
  dir: string,
  report: IssueReport,
  origins: Map<object, RecordOrigin>,
): { demand: DemandSet[] | undefined; commodities: CommodityCatalog | undefined; demandFiles: YamlFile[] } {
  const demandFiles: YamlFile[] = [];
  let commodities: CommodityCatalog | undefined;
  if (existsSync(join(dir, 'commodities.yaml'))) {
    const yf = readYamlFile(join(dir, 'commodities.yaml'), 'commodities.yaml', report);
    if (yf) {
      demandFiles.push(yf);
      const parsed = CommoditiesFileSchema.safeParse(yf.data, { reportInput: true });
      if (parsed.success) {
        commodities = parsed.data as CommodityCatalog;
        origins.set(commodities, { file: 'commodities.yaml', path: [], lineOf: yf.lineOf });
        commodities.commodities.forEach((c, i) =>
          origins.set(c, { file: 'commodities.yaml', path: ['commodities', i], lineOf: yf.lineOf }),
        );
      } else zodIssues(report, yf, [], parsed.error, undefined);
    }
  }
  const demandDir = join(dir, 'demand');
  if (!existsSync(demandDir)) return { demand: undefined, commodities, demandFiles };
  const demand: DemandSet[] = [];
  for (const name of readdirSync(demandDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    const file = `demand/${name}`;
    const yf = readYamlFile(join(demandDir, name), file, report);
    if (!yf) continue;
    demandFiles.push(yf);
    const parsed = DemandSetSchema.safeParse(yf.data, { reportInput: true });
    if (!parsed.success) {
      zodIssues(report, yf, [], parsed.error, name.replace(/\.yaml$/, ''));
      continue;
    }
    const d = parsed.data as DemandSet;
    if (`${d.name}.yaml` !== name) {
      report.error({
        file,
        line: yf.lineOf(['name']),
        id: d.name,
        path: 'name',
        code: 'demand-file-name',
        message: `demand set \`${d.name}\` must live in demand/${d.name}.yaml`,
      });
    }
    origins.set(d, { file, path: [], lineOf: yf.lineOf });
    demand.push(d);
  }
  return { demand, commodities, demandFiles };
}

function finish(
  report: IssueReport,
  dataset: PricedDataset,
  raw: { file: string; data: unknown; lineOf: YamlFile['lineOf'] }[],
  dir: string,
): LoadResult {
  const provenance = countProvenance(raw);
  const issues = [...report.issues].sort(
    (a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.code.localeCompare(b.code),
  );
  return {
    dataset,
    issues,
    errors: issues.filter((i) => i.severity === 'error'),
    warnings: issues.filter((i) => i.severity === 'warning'),
    provenance,
    dir,
  };
}
