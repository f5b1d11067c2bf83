/**
 * The `corridor` command line. Exit status: 0 success, 1 a failed check (invalid data, no route),
 * 2 a usage error (unknown place, bad argument). Never prints a stack trace for bad input.
 *
 * Every command is `register(program, cli)`: it declares its flags from the service's field table,
 * hands the raw options to the service's one parser, calls a use case and formats the answer.
 */
import { Command, CommanderError } from 'commander';
import { defaultDataDir, type LoadResult, loadDataset } from '../data/load.js';
import { CorridorError, InvalidRequestError, isCorridorError } from '../model/errors.js';
import { CorridorService } from '../service/service.js';
import { World } from '../service/world.js';
import { createHighsSolver } from '../solver/highs.js';
import { registerAssign } from './assign.js';
import { registerBookingsCommand } from './bookings.js';
import { registerCalibrate } from './calibrate.js';
import { type CliContext, fieldLabel, type RegisterCommand } from './context.js';
import { UsageError } from './errors.js';
import { registerKeysCommand } from './keys.js';
import { registerPlanCommand } from './plan.js';
import { registerQuoteCommand } from './quote.js';
import { registerReplayCommand } from './replay.js';
import { registerReport } from './report.js';
import { registerRouteCommand } from './route.js';
import { registerScenario } from './scenario.js';
import { registerServeCommand } from './serve.js';
import { registerSweep } from './sweep.js';
import { registerValidateCommand } from './validate.js';
import { registerWorkerCommand } from './worker.js';
import { worldPlaces } from '../data/gazetteer.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** An internal error (a bug), as sysexits' EX_SOFTWARE. */
export const EXIT_INTERNAL = 70;

const COMMANDS: readonly RegisterCommand[] = [
  registerRouteCommand,
  registerPlanCommand,
  registerQuoteCommand,
  registerValidateCommand,
  registerAssign,
  registerSweep,
  registerScenario,
  registerReport,
  registerCalibrate,
  registerServeCommand,
  registerWorkerCommand,
  registerKeysCommand,
  registerBookingsCommand,
  registerReplayCommand,
];

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  /** Clock (default: the system's); tests fix it so answers priced for "today" stay put. */
  now?: () => Date;
  /** Reads a dataset directory (default loadDataset); tests share one read of an unchanged directory. */
  loadDataset?: (dir: string) => LoadResult;
}

function loadOrFail(dir: string | undefined, read: (dir: string) => LoadResult = loadDataset): LoadResult {
  const result = read(dir ?? defaultDataDir());
  if (result.errors.length > 0) {
    throw new CorridorError(
      'invalid-dataset',
      `the dataset in ${result.dir} has ${result.errors.length} error(s); run \`corridor ` +
        `validate${dir ? ` ${dir}` : ''}\` to list them`,
    );
  }
  return result;
}

export function buildProgram(io: CliIo, setStatus: (code: number) => void): Command {
  const program = new Command();
  program
    .name('corridor')
    .description('Plan container routes on the Middle Corridor and its alternatives')
    .option('--data <dir>', 'dataset directory (default: the built-in dataset)')
    .showHelpAfterError('(run corridor --help for usage)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  const now = io.now ?? (() => new Date());
  let loaded: LoadResult | undefined;
  let service: CorridorService | undefined;
  const cli: CliContext = {
    out: io.out,
    err: io.err,
    setStatus,
    now,
    load: () => {
      loaded ??= loadOrFail(program.opts<{ data?: string }>().data, io.loadDataset);
      return loaded;
    },
    service: () => {
      service ??= new CorridorService({
        world: new World(cli.load().dataset),
        today: () => now().toISOString().slice(0, 10),
        solver: () => createHighsSolver(),
        places: worldPlaces,
      });
      return service;
    },
  };
  for (const register of COMMANDS) register(program, cli);
  return program;
}

/** `corridor: --avoid-places: "Atlantis" …`: a problem in the CLI's words. */
function problemLine(field: string | undefined, message: string): string {
  const label = field === undefined ? undefined : fieldLabel(field);
  return `corridor: ${label ? `${label}: ` : ''}${message}\n`;
}

/** Runs the CLI; returns the exit status instead of exiting, so tests can call it in-process. */
export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
  opts: { now?: () => Date; loadDataset?: (dir: string) => LoadResult } = {},
): Promise<number> {
  let status = EXIT_OK;
  const program = buildProgram({ out, err, ...opts }, (code) => {
    status = code;
  });
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
    if (e instanceof InvalidRequestError) {
      for (const p of e.problems) err(problemLine(p.field, p.message));
      return e.problems.every((p) => p.code === 'invalid-dataset') ? EXIT_FAILED : EXIT_USAGE;
    }
    if (isCorridorError(e)) {
      err(problemLine(e.field, e.message));
      return e.code === 'invalid-dataset' || e.code === 'no-route' ? EXIT_FAILED : EXIT_USAGE;
    }
    err(
      `corridor: internal error: ${e instanceof Error ? e.message : String(e)}\n(this is a bug; please ` +
        `report it with the command you ran)\n`,
    );
    return EXIT_INTERNAL;
  }
}
