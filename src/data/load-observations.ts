/**
 * Loads `observations.yaml` and `observations/*.yaml`: each record validated on its own (a bad one
 * is reported with its file, id and field and never hides the others), then checked against the
 * dataset: unique ids, sources in the registry, route families in corridors.yaml. A place the
 * network does not have is a warning, not an error: `corridor calibrate` counts it as a 100% miss
 * (the model cannot answer it), which is the honest figure until the place is added.
 */
import type { Observation } from '../model/observations.js';
import { PlaceIndex } from '../model/places.js';
import type { PricedDataset } from '../model/pricing-types.js';
import type { RecordOrigin } from './checks.js';
import type { IssueReport } from './issues.js';
import { ObservationSchema } from './schema-observations.js';
import type { YamlFile } from './yaml-file.js';

type LoadList = <T>(
  report: IssueReport,
  yf: YamlFile | undefined,
  key: string,
  schema: import('zod').z.ZodType<unknown>,
  origins: Map<object, RecordOrigin>,
) => T[];

export function loadObservations(
  files: readonly YamlFile[],
  dataset: PricedDataset,
  report: IssueReport,
  loadList: LoadList,
): Observation[] {
  const origins = new Map<object, RecordOrigin>();
  const all = files.flatMap((yf) => loadList<Observation>(report, yf, 'observations', ObservationSchema, origins));
  const sources = new Set(dataset.sources.map((s) => s.id));
  const families = new Set(dataset.corridors.map((c) => c.id));
  const places = new PlaceIndex(dataset.locations);
  const seen = new Map<string, string>();
  const out: Observation[] = [];
  for (const o of all) {
    const origin = origins.get(o);
    const at = (field: string) => ({
      file: origin?.file ?? 'observations',
      line: origin?.lineOf([...(origin?.path ?? []), field]) ?? origin?.lineOf(origin?.path ?? []),
      id: o.id,
      path: `${origin ? pathText(origin.path) : 'observations'}.${field}`,
    });
    let ok = true;
    const first = seen.get(o.id);
    if (first !== undefined) {
      report.error({ ...at('id'), code: 'duplicate-id', message: `observation id ${o.id} is also used in ${first}` });
      ok = false;
    } else seen.set(o.id, origin?.file ?? '');
    if (!sources.has(o.source)) {
      report.error({
        ...at('source'),
        code: 'unknown-source',
        message: `source "${o.source}" is not in sources.yaml (add it to data/sources/observations.yaml)`,
      });
      ok = false;
    }
    if (o.family !== undefined && !families.has(o.family)) {
      report.error({
        ...at('family'),
        code: 'unknown-corridor',
        message: `route family "${o.family}" is not in corridors.yaml; valid: ${[...families].join(', ')}`,
      });
      ok = false;
    }
    for (const field of ['from', 'to', 'at'] as const) {
      const name = o[field];
      if (name === undefined) continue;
      try {
        places.resolve(name);
      } catch (e) {
        report.warning({
          ...at(field),
          code: 'observation-place-unknown',
          message: `${e instanceof Error ? e.message : String(e)}; calibrate counts this observation as unanswered`,
        });
      }
    }
    if (ok) out.push(o);
  }
  return out;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}
