/**
 * `corridor worker`: runs job workers as a process of their own, on any host that reaches the
 * database (with PostgreSQL, pg-boss shares the queues among every worker and API instance).
 */
import type { ServiceConfig } from '../api/config.js';
import type { RegisterCommand } from './context.js';
import { UsageError } from './errors.js';

export const registerWorkerCommand: RegisterCommand = (program, cli) => {
  const { err, setStatus } = cli;
  program
    .command('worker')
    .description('run job workers in this process (no HTTP); with PostgreSQL, on as many hosts as you like')
    .option('--concurrency <n>', 'jobs run at once, one worker thread each (default JOB_WORKERS, at least 1)')
    .option('--queues <names>', 'only these job kinds, comma-separated (default: all)')
    .option('--database <url>', 'sqlite:/path/file.sqlite or postgres://… (env DATABASE_URL)')
    .action(async (opts: { concurrency?: string; queues?: string; database?: string }) => {
      const { configFromEnv, ConfigError } = await import('../api/config.js');
      const { startWorker, WorkerStartupError } = await import('../api/jobs/worker-process.js');
      const { JOB_QUEUES } = await import('../api/jobs/jobs.js');
      const env = { ...process.env };
      if (opts.database !== undefined) env.DATABASE_URL = opts.database;
      const data = program.opts<{ data?: string }>().data;
      if (data !== undefined) env.CORRIDOR_DATA = data;
      let concurrency: number | undefined;
      if (opts.concurrency !== undefined) {
        concurrency = Number(opts.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
          throw new UsageError(`--concurrency: "${opts.concurrency}" is not an integer from 1 to 64`);
      }
      const queues = opts.queues
        ?.split(',')
        .map((q) => q.trim())
        .filter(Boolean);
      for (const q of queues ?? [])
        if (!JOB_QUEUES.includes(q))
          throw new UsageError(`--queues: "${q}" is not a job queue; valid: ${JOB_QUEUES.join(', ')}`);
      let config: ServiceConfig;
      try {
        config = configFromEnv(env);
      } catch (e) {
        if (e instanceof ConfigError) {
          err(`corridor worker: ${e.message}\n`);
          setStatus(2);
          return;
        }
        throw e;
      }
      const log = {
        info: (o: unknown, m?: string) => err(`${JSON.stringify({ level: 'info', ...(o as object), msg: m })}\n`),
        warn: (o: unknown, m?: string) => err(`${JSON.stringify({ level: 'warn', ...(o as object), msg: m })}\n`),
        error: (o: unknown, m?: string) => err(`${JSON.stringify({ level: 'error', ...(o as object), msg: m })}\n`),
      };
      try {
        const w = await startWorker(
          config,
          { ...(concurrency !== undefined ? { concurrency } : {}), ...(queues ? { queues } : {}) },
          log,
        );
        err(
          `corridor: worker with ${w.concurrency} thread(s) on ${queues?.join(', ') ?? 'all queues'} ` +
            `(database ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')})\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            err(`corridor: ${signal}, finishing running jobs (up to ${config.jobShutdownMs} ms)\n`);
            w.close({ graceful: true }).then(resolve, resolve);
          };
          process.once('SIGTERM', () => stop('SIGTERM'));
          process.once('SIGINT', () => stop('SIGINT'));
        });
      } catch (e) {
        if (e instanceof WorkerStartupError) {
          err(`corridor worker: ${e.message}\n`);
          setStatus(1);
          return;
        }
        throw e;
      }
    });
};
