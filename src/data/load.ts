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
  RoadParameters,
  CommodityCatalog,
  Corridor,
  DemandSet,
  Link,
  Location,
  Passage,
  Rates,
  Scenario,
  Season,
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
import { SeasonSchema, ServiceSchema } from './schema-services.js';
import { ScenarioFileSchema } from './schema-scenarios.js';
import { CommoditiesFileSchema, DemandSetSchema } from './schema-demand.js';
import { RoadSchema } from './schema-road.js';
import { checkDataset, type RecordOrigin } from './checks.js';
import { checkScenariosAndDemand } from './checks-scenarios.js';
import { countProvenance, type ProvenanceCounts } from './provenance.js';
import { loadPricing } from './load-pricing.js';
import { checkPricing } from './checks-pricing.js';
import type { PricedDataset } from '../model/pricing-types.js';
import type { Observation } from '../model/observations.js';
import { loadObservations } from './load-observations.js';
import { nth } from '../model/invariant.js';

export interface LoadResult {
  /** The records that passed their schema (present even when there are errors, for reporting). */
  dataset: PricedDataset;
  issues: DataIssue[];
  errors: DataIssue[];
  warnings: DataIssue[];
  provenance: ProvenanceCounts;
  /** Published observations (`observations/*.yaml`) the model is measured against; not model inputs. */
  observations: Observation[];
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
      message =
        `a bare number has no provenance: write {value: ${issue.input}, source: <id in sources.yaml>} or ` +
        `{value: ${issue.input}, assumption: "<reasoning>"}`;
    } else if (issue.code === 'unrecognized_keys')
      message = `unknown field(s) ${issue.keys.map((k) => `\`${k}\``).join(', ')}`;
    else if (issue.code === 'invalid_value' && 'values' in issue) {
      message =
        `${received !== undefined ? `${received} is not valid; ` : ''}expected ` +
        `one of ${issue.values.map(String).join(', ')}`;
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
      line: yf.lineOf([nth(extra, 0)]),
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
  // Record lists may be one file (`links.yaml`) or a directory of files (`links/*.yaml`), or
  // both: regions and topics then live in files of their own, concatenated in name order.
  const lists = {
    sources: readListFiles(dir, 'sources', report, true),
    locations: readListFiles(dir, 'locations', report, true),
    links: readListFiles(dir, 'links', report, true),
    transfers: readListFiles(dir, 'transfers', report, true),
    // Optional: without any, every link is continuously available (the nominal regime).
    services: readListFiles(dir, 'services', report, false),
    // Optional: without any, weather holds have one chance all year.
    seasons: readListFiles(dir, 'seasons', report, false),
  };
  const files = {
    passages: read('passages.yaml'),
    corridors: read('corridors.yaml'),
    rates: read('rates.yaml'),
  };
  const loadLists = <T>(yfs: YamlFile[], key: string, schema: z.ZodType<unknown>): T[] =>
    yfs.flatMap((yf) => loadList<T>(report, yf, key, schema, origins));
  const sources = loadLists<Source>(lists.sources, 'sources', SourceSchema);
  const locations = loadLists<Location>(lists.locations, 'locations', LocationSchema);
  const links = loadLists<Link>(lists.links, 'links', LinkSchema);
  const transfers = loadLists<Transfer>(lists.transfers, 'transfers', TransferSchema);
  const passages = loadList<Passage>(report, files.passages, 'passages', PassageSchema, origins);
  const corridors = loadList<Corridor>(report, files.corridors, 'corridors', CorridorSchema, origins);
  const services = loadLists<Service>(lists.services, 'services', ServiceSchema);
  const seasons = loadLists<Season>(lists.seasons, 'seasons', SeasonSchema);

  let rates = empty;
  if (files.rates) {
    const parsed = RatesSchema.safeParse(files.rates.data, { reportInput: true });
    if (parsed.success) {
      rates = parsed.data as Rates;
      origins.set(rates, { file: 'rates.yaml', path: [], lineOf: files.rates.lineOf });
    } else zodIssues(report, files.rates, [], parsed.error, undefined);
  }

  // Optional: without road.yaml, places off the network are not joined by door-to-door legs.
  let road: RoadParameters | undefined;
  const roadFile = existsSync(join(dir, 'road.yaml')) ? read('road.yaml') : undefined;
  if (roadFile) {
    const parsed = RoadSchema.safeParse(roadFile.data, { reportInput: true });
    if (parsed.success) {
      road = parsed.data as RoadParameters;
      origins.set(road, { file: 'road.yaml', path: [], lineOf: roadFile.lineOf });
    } else zodIssues(report, roadFile, [], parsed.error, undefined);
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
    ...(seasons.length > 0 ? { seasons } : {}),
    ...(priced.pricing ? { pricing: priced.pricing } : {}),
    ...(demand ? { demand } : {}),
    ...(commodities ? { commodities } : {}),
    ...(road ? { road } : {}),
  };
  // Ids of links that are in links.yaml but failed their schema: references to them are not reported again.
  const linkIdsInFile = rawIdsOf(lists.links, 'links', 'id');
  checkDataset(dataset, origins, report, { linkIdsInFile });
  checkPricing(dataset, origins, report, {
    links: linkIdsInFile,
    locations: rawIdsOf(lists.locations, 'locations', 'id'),
  });
  checkScenariosAndDemand(dataset, origins, report);
  // Observations are the published record, not model figures: validated, but not counted by provenance.
  const observations = loadObservations(readListFiles(dir, 'observations', report, false), dataset, report, loadList);
  // A source cited only by observations is used: drop the dataset check's "cited by no figure".
  const citedByObservations = new Set(observations.map((o) => o.source));
  report.issues.splice(
    0,
    report.issues.length,
    ...report.issues.filter((i) => !(i.code === 'unused-source' && i.id && citedByObservations.has(i.id))),
  );
  const raw = [
    ...Object.values(lists).flat(),
    ...Object.values(files),
    ...scenarioFiles,
    ...priced.files,
    ...demandFiles,
    roadFile,
  ]
    .filter((f): f is YamlFile => f !== undefined)
    .map((f) => ({ file: f.file, data: f.data, lineOf: f.lineOf }));
  checkCalibrated(raw, new Set(observations.map((o) => o.id)), report);
  return finish(report, dataset, raw, dir, observations);
}

/** Ids of the records in a list's files, whether or not they passed their schema. */
function rawIdsOf(yfs: readonly YamlFile[], key: string, field: string): Set<string> {
  const ids = new Set<string>();
  for (const yf of yfs) {
    const list = (yf.data as Record<string, unknown> | null | undefined)?.[key];
    if (!Array.isArray(list)) continue;
    for (const r of list) {
      const id = r && typeof r === 'object' ? (r as Record<string, unknown>)[field] : undefined;
      if (typeof id === 'string') ids.add(id);
    }
  }
  return ids;
}

/**
 * The files of one record list: `<key>.yaml` and every `<key>/*.yaml`, in that order (the
 * directory's files by name). A required list with neither is reported as a missing file.
 */
function readListFiles(dir: string, key: string, report: IssueReport, required: boolean): YamlFile[] {
  const out: YamlFile[] = [];
  const single = `${key}.yaml`;
  const sub = join(dir, key);
  const hasDir = existsSync(sub) && statSync(sub).isDirectory();
  if (existsSync(join(dir, single)) || (required && !hasDir)) {
    const yf = readYamlFile(join(dir, single), single, report);
    if (yf) out.push(yf);
  }
  if (hasDir) {
    for (const name of readdirSync(sub)
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const yf = readYamlFile(join(sub, name), `${key}/${name}`, report);
      if (yf) out.push(yf);
    }
  }
  return out;
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
        for (const [i, c] of commodities.commodities.entries())
          origins.set(c, { file: 'commodities.yaml', path: ['commodities', i], lineOf: yf.lineOf });
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
  observations: Observation[] = [],
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
    observations,
    dir,
  };
}

/** A calibrated figure names the observations it was fitted to: each must exist in observations/. */
function checkCalibrated(
  files: { file: string; data: unknown }[],
  ids: ReadonlySet<string>,
  report: IssueReport,
): void {
  const visit = (node: unknown, path: string, file: string): void => {
    if (Array.isArray(node)) {
      for (const [i, x] of node.entries()) visit(x, `${path}[${i}]`, file);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      const at = path ? `${path}.${k}` : k;
      if (k === 'calibrated' && v !== null && typeof v === 'object') {
        const obs = (v as { observations?: unknown }).observations;
        for (const id of Array.isArray(obs) ? obs : [])
          if (typeof id === 'string' && !ids.has(id))
            report.error({
              file,
              path: `${at}.observations`,
              code: 'unknown-observation',
              message: `calibrated to observation "${id}", which observations/ does not define`,
            });
      } else visit(v, at, file);
    }
  };
  for (const f of files) visit(f.data, '', f.file);
}
