/**
 * Writing fitted values back into the data files (`corridor calibrate --fit --write`). The files
 * are edited as text, not re-serialised, so their comments, folding and key order stay as the
 * authors wrote them: only the `value:` of a fitted amount changes, and a `calibrated:` block
 * (the prior value and the observations it was fitted to) is put beside it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FittedCharge {
  /** Charge id (the same id in every tariff set that has it). */
  chargeId: string;
  /** Factor on the prior amount. */
  factor: number;
  /** Observations whose prices informed the factor. */
  observations: string[];
}

export interface WrittenValue {
  file: string;
  chargeId: string;
  prior: number;
  value: number;
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/** End of the YAML block headed by `lines[header]`: the first non-blank line indented no deeper (or `limit`). */
function blockEndOf(lines: readonly string[], header: number, limit = lines.length): number {
  const indent = indentOf(lines[header] ?? '');
  let end = header + 1;
  while (end < limit) {
    const l = lines[end] ?? '';
    if (l.trim() !== '' && indentOf(l) <= indent) break;
    end++;
  }
  return end;
}

/** Four significant figures: a fitted amount is no more precise than the observations behind it. */
export function roundFitted(x: number): number {
  if (x === 0) return 0;
  const digits = 4 - Math.ceil(Math.log10(Math.abs(x)));
  const f = 10 ** Math.max(0, digits);
  return Math.round(x * f) / f;
}

/**
 * The text of one tariff-set file with a charge's `amount` set to prior × factor and marked
 * calibrated; `null` when the file has no such charge, or its amount is sourced (never fitted).
 */
export function calibrateChargeText(
  text: string,
  fit: FittedCharge,
): { text: string; prior: number; value: number } | null {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^\\s*- id: ['"]?${escapeRe(fit.chargeId)}['"]?\\s*$`).test(l));
  if (start < 0) return null;
  const end = blockEndOf(lines, start);
  const amount = lines.findIndex((l, i) => i > start && i < end && /^\s*amount:\s*$/.test(l));
  if (amount < 0) return null;
  const blockEnd = blockEndOf(lines, amount, end);
  const block = lines.slice(amount + 1, blockEnd);
  const inner = indentOf(block.find((l) => l.trim() !== '') ?? '');
  if (block.some((l) => indentOf(l) === inner && /^\s*source:/.test(l))) return null;
  // Drop an earlier calibration: the prior it names stays the prior.
  let prior: number | undefined;
  const kept: string[] = [];
  for (let i = 0; i < block.length; i++) {
    const l = block[i] ?? '';
    if (indentOf(l) === inner && /^\s*calibrated:/.test(l)) {
      for (i++; i < block.length && indentOf(block[i] ?? '') > inner; i++) {
        const m = /^\s*prior:\s*([-0-9.eE]+)\s*$/.exec(block[i] ?? '');
        if (m?.[1]) prior = Number(m[1]);
      }
      i--;
      continue;
    }
    kept.push(l);
  }
  const valueAt = kept.findIndex((l) => indentOf(l) === inner && /^\s*value:/.test(l));
  if (valueAt < 0) return null;
  const current = Number((/^\s*value:\s*([-0-9.eE]+)/.exec(kept[valueAt] ?? '') ?? [])[1]);
  if (!Number.isFinite(current)) return null;
  prior ??= current;
  const value = roundFitted(prior * fit.factor);
  const pad = ' '.repeat(inner);
  kept[valueAt] = `${pad}value: ${value}`;
  // No observation left (a reset): the prior comes back as the plain assumption it was.
  const calibrated =
    fit.observations.length === 0
      ? []
      : [
          `${pad}calibrated:`,
          `${pad}  prior: ${prior}`,
          `${pad}  method: corridor calibrate --fit --write (factor ${roundFitted(fit.factor)} on the prior)`,
          `${pad}  observations:`,
          ...[...fit.observations].sort().map((id) => `${pad}  - ${id}`),
        ];
  kept.splice(valueAt + 1, 0, ...calibrated);
  const out = [...lines.slice(0, amount + 1), ...kept, ...lines.slice(blockEnd)];
  return { text: out.join('\n'), prior, value };
}

/** Writes every fitted charge into every tariff-set file of `dataDir` that has it with an assumed amount. */
export function writeFittedCharges(
  dataDir: string,
  files: readonly string[],
  fits: readonly FittedCharge[],
): WrittenValue[] {
  return rewriteFiles(dataDir, files, fits, (text, fit, file) => {
    const r = calibrateChargeText(text, fit);
    return r ? { text: r.text, written: { file, chargeId: fit.chargeId, prior: r.prior, value: r.value } } : null;
  });
}

/**
 * Applies `edit` for every fit to every file's text, writing a file only when it changed: the one
 * loop of both write-backs (charges, dwell), so a file is read and written once however many fits it has.
 */
function rewriteFiles<F, W>(
  dataDir: string,
  files: readonly string[],
  fits: readonly F[],
  edit: (text: string, fit: F, file: string) => { text: string; written: W } | null,
): W[] {
  const written: W[] = [];
  for (const file of files) {
    const path = join(dataDir, file);
    let text = readFileSync(path, 'utf8');
    const before = text;
    for (const fit of fits) {
      const r = edit(text, fit, file);
      if (!r) continue;
      text = r.text;
      written.push(r.written);
    }
    if (text !== before) writeFileSync(path, text);
  }
  return written;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface FittedDwell {
  location: string;
  kind: string;
  min: number;
  typical: number;
  max: number;
  /** Typical dwell before any fit. */
  prior: number;
  observations: string[];
}

/** The text of one transfers file with a stop's dwell set and marked calibrated; `null` when absent or sourced. */
export function calibrateDwellText(text: string, fit: FittedDwell): string | null {
  const lines = text.split('\n');
  for (let start = 0; start < lines.length; start++) {
    if (!new RegExp(`^\\s*- location: ['"]?${escapeRe(fit.location)}['"]?\\s*$`).test(lines[start] ?? '')) continue;
    const end = blockEndOf(lines, start);
    const item = lines.slice(start, end);
    if (!item.some((l) => new RegExp(`^\\s*kind: ['"]?${escapeRe(fit.kind)}['"]?\\s*$`).test(l))) continue;
    const at = item.findIndex((l) => /^\s*durationH:\s*$/.test(l));
    if (at < 0) return null;
    const blockEnd = blockEndOf(item, at);
    const block = item.slice(at + 1, blockEnd);
    const inner = indentOf(block.find((l) => l.trim() !== '') ?? '');
    if (block.some((l) => indentOf(l) === inner && /^\s*source:/.test(l))) return null;
    const kept: string[] = [];
    for (let i = 0; i < block.length; i++) {
      const l = block[i] ?? '';
      if (indentOf(l) === inner && /^\s*calibrated:/.test(l)) {
        while (i + 1 < block.length && indentOf(block[i + 1] ?? '') > inner) i++;
        continue;
      }
      kept.push(l);
    }
    const pad = ' '.repeat(inner);
    for (const key of ['min', 'typical', 'max'] as const) {
      const k = kept.findIndex((l) => indentOf(l) === inner && new RegExp(`^\\s*${key}:`).test(l));
      if (k < 0) return null;
      kept[k] = `${pad}${key}: ${fit[key]}`;
    }
    const maxAt = kept.findIndex((l) => indentOf(l) === inner && /^\s*max:/.test(l));
    if (fit.observations.length > 0)
      kept.splice(
        maxAt + 1,
        0,
        `${pad}calibrated:`,
        `${pad}  prior: ${fit.prior}`,
        `${pad}  method: corridor calibrate --fit --write (typical fitted within the stated min and max)`,
        `${pad}  observations:`,
        ...[...fit.observations].sort().map((id) => `${pad}  - ${id}`),
      );
    const out = [...lines.slice(0, start + at + 1), ...kept, ...lines.slice(start + blockEnd)];
    return out.join('\n');
  }
  return null;
}

/** Writes fitted dwell into the transfers files of `dataDir` that have the stop with an assumed dwell. */
export function writeFittedDwell(
  dataDir: string,
  files: readonly string[],
  fits: readonly FittedDwell[],
): FittedDwell[] {
  return rewriteFiles(dataDir, files, fits, (text, fit) => {
    const r = calibrateDwellText(text, fit);
    return r === null ? null : { text: r, written: fit };
  });
}
