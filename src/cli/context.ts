/**
 * What every command gets: one registration signature, `register(program, cli)`. Commands parse
 * their flags with the service's one parser (declared from src/service/fields.ts by `addFields`),
 * call a use case of the service and format the answer.
 */
import { type Command, Option } from 'commander';
import type { LoadResult } from '../data/load.js';
import type { CorridorService } from '../service/service.js';
import { FIELDS, type FieldName, kebab, type RawOptions } from '../service/fields.js';

export interface CliContext {
  out(s: string): void;
  err(s: string): void;
  setStatus(code: number): void;
  /** Loads the dataset chosen by --data; throws a CorridorError when it has errors. */
  load(): LoadResult;
  /** The application service over that dataset (built on first use). */
  service(): CorridorService;
  /** The clock, for what an answer stamps (PACT `created`, report dates). */
  now(): Date;
}

export type RegisterCommand = (program: Command, cli: CliContext) => void;

/** Declares the fields of a use case on a command: positionals as arguments, the rest as flags. */
export function addFields(
  cmd: Command,
  names: readonly FieldName[],
  overrides: Partial<Record<FieldName, string>> = {},
): Command {
  for (const name of names) {
    const spec = FIELDS[name];
    const description = (overrides[name] ?? spec.description).replace(/`/g, '');
    if ('positional' in spec && spec.positional) {
      cmd.argument(spec.arg ?? `<${name}>`, description);
      continue;
    }
    const isSwitch = 'choices' in spec && spec.choices?.[0] === 'true';
    const opt = new Option(isSwitch ? `--${kebab(name)}` : `--${kebab(name)} ${spec.arg ?? '<value>'}`, description);
    if ('choices' in spec && spec.choices && !isSwitch) opt.choices([...spec.choices]);
    if ('cliDefault' in spec && spec.cliDefault !== undefined) opt.default(spec.cliDefault);
    cmd.addOption(opt);
  }
  return cmd;
}

/** The raw options of a command's action: its positionals by field name, then its flags. */
export function rawOptions(names: readonly FieldName[], positionals: readonly string[], opts: object): RawOptions {
  const raw: RawOptions = {};
  const pos = names.filter((n) => {
    const spec = FIELDS[n];
    return 'positional' in spec && spec.positional;
  });
  pos.forEach((n, i) => {
    if (positionals[i] !== undefined) raw[n] = positionals[i];
  });
  for (const [k, v] of Object.entries(opts)) if ((names as readonly string[]).includes(k)) raw[k as FieldName] = v;
  return raw;
}

/** How the CLI names a field: `--avoid-places`, or nothing for a positional (`from`, `to`). */
export function fieldLabel(field: string): string | undefined {
  const m = /^(.*?)([A-Za-z][A-Za-z0-9]*)$/.exec(field);
  const name = m?.[2] ?? field;
  const spec = (FIELDS as Record<string, { positional?: boolean }>)[name];
  if (spec?.positional || name === 'a' || name === 'b') return undefined;
  return `${m?.[1] ?? ''}--${kebab(name)}`;
}
