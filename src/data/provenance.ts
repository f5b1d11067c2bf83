/**
 * Counts every number in the raw data files by provenance. It walks the parsed YAML rather than
 * the validated records, so a bare number anywhere (even one the schema would reject) is counted
 * as unsourced instead of disappearing.
 */

export interface ProvenanceCounts {
  /** Every numeric figure in the files. */
  facts: number;
  /** Figures whose object cites a source id. */
  sourced: number;
  /** Figures whose object carries an explicit assumption. */
  assumptions: number;
  /** Figures fitted to observations (`calibrated` on an assumption): a class of their own. */
  calibrated: number;
  /** Figures with neither: must be 0 for a publishable dataset. */
  unsourced: number;
}

/** Numeric fields that are codes, not measured figures. */
const CATEGORICAL_KEYS = new Set(['gaugeMm', 'gauges']);

export function countProvenance(files: { file: string; data: unknown }[]): ProvenanceCounts {
  const counts: ProvenanceCounts = { facts: 0, sourced: 0, assumptions: 0, calibrated: 0, unsourced: 0 };
  const visit = (node: unknown, key: string | undefined, parent: Record<string, unknown> | undefined): void => {
    if (typeof node === 'number') {
      if (key !== undefined && CATEGORICAL_KEYS.has(key)) return;
      counts.facts++;
      if (parent && typeof parent.source === 'string' && parent.source !== '') counts.sourced++;
      else if (parent && typeof parent.calibrated === 'object' && parent.calibrated !== null) counts.calibrated++;
      else if (parent && typeof parent.assumption === 'string' && parent.assumption !== '') counts.assumptions++;
      else counts.unsourced++;
      return;
    }
    if (Array.isArray(node)) {
      // A bare list of numbers has no provenance of its own.
      for (const item of node) visit(item, key, undefined);
      return;
    }
    if (node !== null && typeof node === 'object') {
      const obj = node as Record<string, unknown>;
      // A calibration's prior is the figure's history, not a figure of its own.
      for (const [k, v] of Object.entries(obj)) if (k !== 'calibrated') visit(v, k, obj);
    }
  };
  for (const f of files) visit(f.data, undefined, undefined);
  return counts;
}
