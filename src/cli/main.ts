/**
 * The `corridor` command line. Exit status: 0 success, 1 a failed check (invalid data, no route),
 * 2 a usage error (unknown place, bad argument). Never prints a stack trace for bad input.
 */
import { Command, CommanderError, Option } from 'commander';
import { loadDataset, defaultDataDir, type LoadResult } from '../data/load.js';
import { isCountryCode } from '../model/countries.js';
import { CorridorError, isCorridorError } from '../model/errors.js';
import { MODES, type Mode } from '../model/types.js';
import { compileNetwork } from '../network/compile.js';
import { findRoutes } from '../routing/route.js';
import { formatRoutes, formatValidation } from './format.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

class UsageError extends Error {}

function parseCountries(value: string): string[] {
  const codes = value
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const bad = codes.filter((c) => !isCountryCode(c));
  if (bad.length) throw new UsageError(`--avoid: ${bad.map((b) => `"${b}"`).join(', ')} is not an ISO 3166-1 alpha-2 country code (e.g. RU, IR, AM)`);
  return codes;
}

function parseModes(value: string): Mode[] {
  const modes = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = modes.filter((m) => !(MODES as readonly string[]).includes(m));
  if (bad.length) throw new UsageError(`--modes: ${bad.map((b) => `"${b}"`).join(', ')} is not a mode; valid: ${MODES.join(', ')}`);
  return modes as Mode[];
}

function loadOrFail(dir: string | undefined): LoadResult {
  const result = loadDataset(dir ?? defaultDataDir());
  if (result.errors.length > 0) {
    throw new CorridorError(
      'invalid-dataset',
      `the dataset in ${result.dir} has ${result.errors.length} error(s); run \`corridor validate${dir ? ` ${dir}` : ''}\` to list them`,
    );
  }
  return result;
}

export function buildProgram(out: (s: string) => void, err: (s: string) => void, setStatus: (code: number) => void): Command {
  const program = new Command();
  program
    .name('corridor')
    .description('Plan container routes on the Middle Corridor and its alternatives')
    .option('--data <dir>', 'dataset directory (default: the built-in dataset)')
    .showHelpAfterError('(run corridor --help for usage)')
    .configureOutput({ writeOut: out, writeErr: err })
    .exitOverride();

  program
    .command('route')
    .description('Pareto-optimal routes over time, cost and CO2e between two places')
    .argument('<from>', 'origin: name, alias or code (e.g. "Xi\'an", CNXIA)')
    .argument('<to>', 'destination: name, alias or code (e.g. Duisburg, DEDUI)')
    .option('--avoid <countries>', 'comma-separated ISO alpha-2 codes no leg, node or passage may touch (e.g. RU,IR)')
    .option('--modes <modes>', `comma-separated allowed modes (${MODES.join(', ')})`)
    .option('--scenario <name>', 'switch on the planned links of a scenario (see data/scenarios)')
    .option('--json', 'print JSON')
    .action((from: string, to: string, opts: { avoid?: string; modes?: string; scenario?: string; json?: boolean }) => {
      const avoidCountries = opts.avoid !== undefined ? parseCountries(opts.avoid) : [];
      const modes = opts.modes !== undefined ? parseModes(opts.modes) : undefined;
      const { dataset } = loadOrFail(program.opts<{ data?: string }>().data);
      if (opts.scenario !== undefined && !dataset.scenarios.some((s) => s.name === opts.scenario)) {
        throw new UsageError(`--scenario: unknown scenario "${opts.scenario}"; valid: ${dataset.scenarios.map((s) => s.name).join(', ') || '(none)'}`);
      }
      const net = compileNetwork(dataset, opts.scenario !== undefined ? { scenario: opts.scenario } : {});
      const result = findRoutes(net, { from, to, avoidCountries, ...(modes ? { modes } : {}) });
      out(opts.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatRoutes(result)}\n`);
      if (result.options.length === 0) setStatus(EXIT_FAILED);
    });

  program
    .command('validate')
    .description('check a dataset: schema, references, units, connectivity, plausibility, provenance')
    .argument('[dir]', 'dataset directory (default: the built-in dataset)')
    .option('--json', 'print {errors, warnings, provenance} as JSON')
    .action((dir: string | undefined, opts: { json?: boolean }) => {
      const r = loadDataset(dir ?? program.opts<{ data?: string }>().data ?? defaultDataDir());
      if (opts.json) out(`${JSON.stringify({ dir: r.dir, errors: r.errors, warnings: r.warnings, provenance: r.provenance }, null, 2)}\n`);
      else out(`${formatValidation(r.dir, r.errors, r.warnings, r.provenance)}\n`);
      setStatus(r.errors.length > 0 ? EXIT_FAILED : EXIT_OK);
    });

  return program;
}

/** Runs the CLI; returns the exit status instead of exiting, so tests can call it in-process. */
export async function main(argv: string[], out = (s: string) => process.stdout.write(s), err = (s: string) => process.stderr.write(s)): Promise<number> {
  let status = EXIT_OK;
  const program = buildProgram(out, err, (code) => (status = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return EXIT_OK;
      return EXIT_USAGE;
    }
    if (e instanceof UsageError) {
      err(`corridor: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (isCorridorError(e)) {
      err(`corridor: ${e.message}\n`);
      return e.code === 'invalid-dataset' || e.code === 'no-route' ? EXIT_FAILED : EXIT_USAGE;
    }
    err(`corridor: internal error: ${e instanceof Error ? e.message : String(e)}\n(this is a bug; please report it with the command you ran)\n`);
    return 70;
  }
}
