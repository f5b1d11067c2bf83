/** `corridor serve`: the HTTP API (also `npm start`). Settings from flags, else the environment. */
import type { RegisterCommand } from './context.js';
import type { ServiceConfig } from '../api/config.js';

export const registerServeCommand: RegisterCommand = (program, cli) => {
  const { out, err, setStatus } = cli;
  program
    .command('serve')
    .description('serve the HTTP API (default http://localhost:8080; see docs/api.md for the environment variables)')
    .option('--port <port>', 'port (env PORT, default 8080; 0 = any free port)')
    .option('--host <host>', 'interface (env HOST, default localhost)')
    .option(
      '--database <url>',
      'sqlite:/path/file.sqlite or postgres://… (env DATABASE_URL, default sqlite:./var/corridor.sqlite)',
    )
    .option('--no-workers', 'API only: run no jobs here (`corridor worker` processes run them; env JOB_WORKERS=0)')
    .action(async (opts: { port?: string; host?: string; database?: string; workers?: boolean }) => {
      // Imported here so other commands do not pay for loading the HTTP stack.
      const { configFromEnv, ConfigError } = await import('../api/config.js');
      const { startServer, StartupError } = await import('../api/server.js');
      const env = { ...process.env };
      if (opts.port !== undefined) env.PORT = opts.port;
      if (opts.host !== undefined) env.HOST = opts.host;
      if (opts.database !== undefined) env.DATABASE_URL = opts.database;
      if (opts.workers === false) env.JOB_WORKERS = '0';
      const data = program.opts<{ data?: string }>().data;
      if (data !== undefined) env.CORRIDOR_DATA = data;
      let config: ServiceConfig;
      try {
        config = configFromEnv(env);
      } catch (e) {
        if (e instanceof ConfigError) {
          err(`corridor serve: ${e.message}\n`);
          setStatus(2);
          return;
        }
        throw e;
      }
      try {
        const server = await startServer(config, (line) => err(`${line}\n`));
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            err(`corridor: ${signal}, shutting down\n`);
            server.close().then(resolve, resolve);
          };
          process.once('SIGTERM', () => stop('SIGTERM'));
          process.once('SIGINT', () => stop('SIGINT'));
        });
      } catch (e) {
        if (e instanceof StartupError) {
          err(`corridor serve: ${e.message}\n`);
          setStatus(1);
          return;
        }
        throw e;
      }
    });
  void out;
};
