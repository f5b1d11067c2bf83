/**
 * Loads the pricing files of a dataset: tariffs/<id>.yaml (one dated tariff set each), fx.yaml,
 * container-types.yaml and emission-factors.yaml. They are optional as a group: a dataset with
 * none of them routes on rates.yaml alone; a dataset with some but not all is an error.
 * Like the main loader, every problem goes into the issue report and nothing throws.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type {
  ContainerType,
  EmissionFactorTable,
  FreightIndex,
  FxSnapshot,
  PricingData,
  TariffSet,
} from '../model/pricing-types.js';
import type { IssueReport } from './issues.js';
import type { RecordOrigin } from './checks.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';
import {
  ContainerTypeSchema,
  EmissionTableSchema,
  FreightIndexSchema,
  FxSnapshotSchema,
  TariffSetSchema,
} from './schema-tariffs.js';

/** The record-level helpers of the main loader, passed in so this file does not import it (no cycle). */
export interface LoaderHelpers {
  loadList<T>(
    report: IssueReport,
    yf: YamlFile | undefined,
    key: string,
    schema: z.ZodType<unknown>,
    origins: Map<object, RecordOrigin>,
  ): T[];
  zodIssues(
    report: IssueReport,
    yf: YamlFile,
    basePath: PropertyKey[],
    error: z.ZodError,
    id: string | undefined,
  ): void;
}

export const PRICING_FILES = ['fx.yaml', 'container-types.yaml', 'emission-factors.yaml', 'tariffs/'] as const;

export interface PricingLoad {
  pricing: PricingData | undefined;
  /** Parsed files, for the provenance count. */
  files: YamlFile[];
}

export function loadPricing(
  dir: string,
  report: IssueReport,
  origins: Map<object, RecordOrigin>,
  h: LoaderHelpers,
): PricingLoad {
  const tariffDir = join(dir, 'tariffs');
  const present = {
    'fx.yaml': existsSync(join(dir, 'fx.yaml')),
    'container-types.yaml': existsSync(join(dir, 'container-types.yaml')),
    'emission-factors.yaml': existsSync(join(dir, 'emission-factors.yaml')),
    'tariffs/': existsSync(tariffDir) && statSync(tariffDir).isDirectory(),
  };
  const have = PRICING_FILES.filter((f) => present[f]);
  if (have.length === 0) return { pricing: undefined, files: [] };
  const missing = PRICING_FILES.filter((f) => !present[f]);
  for (const f of missing) {
    report.error({
      file: f,
      code: 'file-unreadable',
      message:
        `missing: the pricing files come as a group (${PRICING_FILES.join(', ')}); this dataset has ` +
        `${have.join(', ')} but not ${f}`,
    });
  }

  const files: YamlFile[] = [];
  const read = (file: string): YamlFile | undefined => {
    if (!existsSync(join(dir, file))) return undefined;
    const yf = readYamlFile(join(dir, file), file, report);
    if (yf) files.push(yf);
    return yf;
  };
  const fx = h.loadList<FxSnapshot>(report, read('fx.yaml'), 'fx', FxSnapshotSchema, origins);
  const containerTypes = h.loadList<ContainerType>(
    report,
    read('container-types.yaml'),
    'containerTypes',
    ContainerTypeSchema,
    origins,
  );

  let emissions: EmissionFactorTable = {
    method: 'none',
    gwp: 'AR5',
    factors: [],
    grid: [],
    defaultGrid: { value: 1, assumption: 'placeholder used only when emission-factors.yaml fails to load' },
    hubs: [],
  };
  const ef = read('emission-factors.yaml');
  if (ef) {
    const parsed = EmissionTableSchema.safeParse(ef.data, { reportInput: true });
    if (parsed.success) {
      emissions = parsed.data as EmissionFactorTable;
      origins.set(emissions, { file: ef.file, path: [], lineOf: ef.lineOf });
    } else h.zodIssues(report, ef, [], parsed.error, undefined);
  }

  const tariffSets: TariffSet[] = [];
  if (present['tariffs/']) {
    const names = readdirSync(tariffDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    if (names.length === 0)
      report.error({ file: 'tariffs/', code: 'file-unreadable', message: 'tariffs/ holds no <id>.yaml tariff set' });
    for (const name of names) {
      const yf = read(`tariffs/${name}`);
      if (!yf) continue;
      const parsed = TariffSetSchema.safeParse(yf.data, { reportInput: true });
      if (!parsed.success) {
        h.zodIssues(report, yf, [], parsed.error, name.replace(/\.yaml$/, ''));
        continue;
      }
      const set = parsed.data as TariffSet;
      if (`${set.id}.yaml` !== name) {
        report.error({
          file: yf.file,
          line: yf.lineOf(['id']),
          id: set.id,
          path: 'id',
          code: 'tariff-file-name',
          message: `tariff set \`${set.id}\` must live in tariffs/${set.id}.yaml`,
        });
      }
      origins.set(set, { file: yf.file, path: [], lineOf: yf.lineOf });
      tariffSets.push(set);
    }
  }
  resolveExtends(tariffSets, report, origins);
  tariffSets.sort((a, b) => a.validFrom.localeCompare(b.validFrom));

  // indices/ is optional: a dataset without freight-rate series prices every leg from fixed amounts.
  const indices: FreightIndex[] = [];
  const indexDir = join(dir, 'indices');
  if (existsSync(indexDir) && statSync(indexDir).isDirectory()) {
    for (const name of readdirSync(indexDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      indices.push(
        ...h.loadList<FreightIndex>(report, read(`indices/${name}`), 'indices', FreightIndexSchema, origins),
      );
    }
  }
  resolveIndexedCharges(tariffSets, indices, report, origins);
  return { pricing: { indices, tariffSets, fx, containerTypes, emissions }, files };
}

/**
 * An indexed leg charge carries the latest point of its series as `amount` (what validators and
 * summaries see); the pricer replaces it with the point of the quote date. An unknown series is an
 * error naming the file, the charge and the ids that exist.
 */
function resolveIndexedCharges(
  sets: TariffSet[],
  indices: FreightIndex[],
  report: IssueReport,
  origins: Map<object, RecordOrigin>,
): void {
  const byId = new Map(indices.map((i) => [i.id, i]));
  for (const set of sets) {
    set.legCharges.forEach((c, i) => {
      if (!c.index) return;
      const series = byId.get(c.index.series);
      if (!series) {
        const o = origins.get(set);
        report.error({
          file: o?.file ?? `tariffs/${set.id}.yaml`,
          line: o?.lineOf(['legCharges', i, 'index', 'series']),
          id: c.id,
          path: `legCharges.${i}.index.series`,
          code: 'unknown-index',
          message:
            `charge \`${c.id}\` follows index \`${c.index.series}\`, which indices/*.yaml does not define` +
            ` (defined: ${[...byId.keys()].join(', ') || 'none'})`,
        });
        c.amount = { value: 0, assumption: `unknown index ${c.index.series}` };
        return;
      }
      const last = series.points[series.points.length - 1];
      if (last) c.amount = { value: last.value, source: last.source, ...(last.ref ? { ref: last.ref } : {}) };
    });
  }
}

/**
 * `extends:` merges each set onto the set it names, in place: inherited charges and through-rates
 * stay unless the set lists one with the same id (it replaces the inherited one where it stood)
 * or names it in `removes`; size factors are inherited unless given. Parents are resolved first;
 * an unknown parent or a cycle is an error naming the file.
 */
function resolveExtends(sets: TariffSet[], report: IssueReport, origins: Map<object, RecordOrigin>): void {
  const byId = new Map(sets.map((s) => [s.id, s]));
  const done = new Set<string>();
  const fail = (set: TariffSet, code: string, message: string) => {
    const o = origins.get(set);
    report.error({
      file: o?.file ?? `tariffs/${set.id}.yaml`,
      line: o?.lineOf(['extends']),
      id: set.id,
      path: 'extends',
      code,
      message,
    });
  };
  const resolve = (set: TariffSet, trail: string[]): void => {
    if (done.has(set.id) || set.extends === undefined) {
      done.add(set.id);
      return;
    }
    const parent = byId.get(set.extends);
    if (!parent) {
      fail(
        set,
        'unknown-tariff-set',
        `tariff set \`${set.id}\` extends \`${set.extends}\`, which tariffs/ does not define ` +
          `(defined: ${[...byId.keys()].join(', ')})`,
      );
      done.add(set.id);
      return;
    }
    if (trail.includes(parent.id)) {
      fail(
        set,
        'tariff-extends-cycle',
        `tariff sets extend each other in a cycle: ${[...trail, parent.id].join(' → ')}`,
      );
      done.add(set.id);
      return;
    }
    resolve(parent, [...trail, parent.id]);
    const removed = new Set(set.removes ?? []);
    const merge = <T extends { id: string }>(inherited: readonly T[], own: readonly T[]): T[] => {
      const mine = new Map(own.map((c) => [c.id, c]));
      const out = inherited.filter((c) => !removed.has(c.id)).map((c) => mine.get(c.id) ?? c);
      const placed = new Set(out.map((c) => c.id));
      return [...out, ...own.filter((c) => !placed.has(c.id))];
    };
    set.legCharges = merge(parent.legCharges, set.legCharges);
    set.stopCharges = merge(parent.stopCharges, set.stopCharges);
    set.throughRates = merge(parent.throughRates, set.throughRates);
    if (set.sizeFactors === undefined) set.sizeFactors = parent.sizeFactors;
    const known = new Set([...parent.legCharges, ...parent.stopCharges, ...parent.throughRates].map((c) => c.id));
    for (const id of removed)
      if (!known.has(id))
        fail(set, 'unknown-charge', `tariff set \`${set.id}\` removes \`${id}\`, which \`${parent.id}\` does not have`);
    done.add(set.id);
  };
  for (const s of sets) {
    resolve(s, [s.id]);
    // A set whose parent failed keeps loading (its error is reported) with neutral size factors.
    s.sizeFactors ??= {
      '20': { value: 1, assumption: `placeholder: tariff set ${s.id} could not inherit its size factors` },
      '45': { value: 1, assumption: `placeholder: tariff set ${s.id} could not inherit its size factors` },
    };
  }
}
