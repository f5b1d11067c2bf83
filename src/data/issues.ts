/**
 * The issue report: every problem found while loading a dataset, collected instead of thrown,
 * so a user sees all of them at once with the file, line, id and what would be valid.
 */
export type Severity = 'error' | 'warning';

export interface DataIssue {
  severity: Severity;
  /** File path relative to the dataset directory, e.g. `links.yaml`. */
  file: string;
  /** 1-based line in the file, where it could be located. */
  line?: number;
  /** Id of the record concerned (location, link, source…), where there is one. */
  id?: string;
  /** Dotted path inside the file, e.g. `links[12].distanceKm.value`. */
  path?: string;
  /** A short code for the kind of problem, stable for tests and tools. */
  code: string;
  message: string;
}

export class IssueReport {
  readonly issues: DataIssue[] = [];

  add(issue: DataIssue): void {
    this.issues.push(issue);
  }
  error(i: Omit<DataIssue, 'severity'>): void {
    this.add({ severity: 'error', ...i });
  }
  warning(i: Omit<DataIssue, 'severity'>): void {
    this.add({ severity: 'warning', ...i });
  }
  get errors(): DataIssue[] {
    return this.issues.filter((i) => i.severity === 'error');
  }
  get warnings(): DataIssue[] {
    return this.issues.filter((i) => i.severity === 'warning');
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

export function formatIssue(i: DataIssue): string {
  const where = `${i.file}${i.line !== undefined ? `:${i.line}` : ''}`;
  const what = [i.id !== undefined ? `id ${i.id}` : undefined, i.path].filter(Boolean).join(', ');
  return `${i.severity}: ${where}${what ? ` (${what})` : ''}: ${i.message} [${i.code}]`;
}
