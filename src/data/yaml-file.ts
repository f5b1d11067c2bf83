/** Reads one YAML data file, keeping enough of the parse tree to point at a line for any path. */
import { readFileSync, statSync } from 'node:fs';
import { DATA_LIMIT_SETTINGS, dataLimits } from './limits.js';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { IssueReport } from './issues.js';
import { nth } from '../model/invariant.js';
import { checkBounds, violationMessage } from './bounds.js';
import { formatPath } from './issues.js';

export interface YamlFile {
  file: string;
  data: unknown;
  /** 1-based line of the node at `path`, or of its nearest existing ancestor. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

export function readYamlFile(absPath: string, file: string, report: IssueReport): YamlFile | undefined {
  let text: string;
  try {
    // Checked before reading: parsing is where an oversized file costs seconds and gigabytes.
    const { maxFileBytes } = dataLimits();
    const bytes = statSync(absPath).size;
    if (bytes > maxFileBytes) {
      const s = DATA_LIMIT_SETTINGS.maxFileBytes;
      report.error({
        file,
        code: 'file-too-large',
        message:
          `${file} is ${(bytes / s.scale).toFixed(1)} MB, over the ${(maxFileBytes / s.scale).toFixed(1)} MB a data ` +
          `file may have; split it into several files of the same list (docs/decisions/0015) or raise ${s.env}`,
      });
      return undefined;
    }
    text = readFileSync(absPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    report.error({
      file,
      code: 'file-unreadable',
      message:
        code === 'ENOENT' ? `missing file: the dataset needs ${file}` : `cannot read ${file} (${code ?? String(e)})`,
    });
    return undefined;
  }
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      report.error({
        file,
        line: err.linePos?.[0]?.line,
        code: 'yaml-syntax',
        message: `YAML syntax: ${nth(err.message.split('\n'), 0).replace(/ at line \d+, column \d+:?$/, '')}`,
      });
    }
    return undefined;
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  let data: unknown;
  try {
    // toJS can still fail on a well-formed document (an alias to a missing anchor, alias bombs).
    data = doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    report.error({
      file,
      line: 1,
      code: 'yaml-syntax',
      message: `YAML: ${e instanceof Error ? e.message : String(e)}`,
    });
    return undefined;
  }
  // Every data file passes here, so every figure in every file is held to its plausibility bound.
  for (const v of checkBounds(data))
    report.error({
      file,
      line: lineOf(v.path),
      ...(v.id !== undefined ? { id: v.id } : {}),
      path: formatPath(v.path),
      code: 'implausible',
      message: violationMessage(v),
    });
  return { file, data, lineOf };
}
