/**
 * Reads a demand set given on the command line as a file (`corridor assign --demand my.yaml`),
 * validated like the dataset's own demand files, with every problem reported by line.
 */
import { basename } from 'node:path';
import type { Dataset, DemandSet } from '../model/types.js';
import { IssueReport, formatIssue, formatPath } from './issues.js';
import { DemandSetSchema } from './schema-demand.js';
import { readYamlFile } from './yaml-file.js';

export function readDemandFile(path: string, dataset: Dataset): { demand?: DemandSet; problems: string[] } {
  const report = new IssueReport();
  const file = basename(path);
  const yf = readYamlFile(path, file, report);
  if (!yf) return { problems: report.errors.map(formatIssue) };
  const parsed = DemandSetSchema.safeParse(yf.data, { reportInput: true });
  if (!parsed.success) {
    for (const i of parsed.error.issues)
      report.error({
        file,
        line: yf.lineOf(i.path as PropertyKey[]),
        path: formatPath(i.path as PropertyKey[]),
        code: 'schema',
        message: i.message,
      });
    return { problems: report.errors.map(formatIssue) };
  }
  const d = parsed.data as DemandSet;
  const locations = new Set(dataset.locations.map((l) => l.id));
  const commodities = new Set((dataset.commodities?.commodities ?? []).map((c) => c.id));
  d.flows.forEach((f, i) => {
    for (const key of ['from', 'to'] as const) {
      if (!locations.has(f[key]))
        report.error({
          file,
          line: yf.lineOf(['flows', i, key]),
          path: `flows[${i}].${key}`,
          code: 'unknown-location',
          message: `${key} \`${f[key]}\` is not a location of the dataset`,
        });
    }
    if (!commodities.has(f.commodity))
      report.error({
        file,
        line: yf.lineOf(['flows', i, 'commodity']),
        path: `flows[${i}].commodity`,
        code: 'unknown-commodity',
        message:
          `commodity \`${f.commodity}\` is not in the dataset's ` +
          `commodities.yaml (valid: ${[...commodities].join(', ') || 'none'})`,
      });
  });
  return report.errors.length ? { problems: report.errors.map(formatIssue) } : { demand: d, problems: [] };
}
