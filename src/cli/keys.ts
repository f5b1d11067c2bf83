/** `corridor keys create|list|revoke`: API keys in the database DATABASE_URL names. */
import type { RegisterCommand } from './context.js';
import type { KeyService as KeyServiceType } from '../api/keys.js';
import { ROLES, type Role, type Store } from '../store/store.js';
import { nth } from '../model/invariant.js';

/** Loaded on use, so other commands do not pay for the database drivers. */
async function deps(): Promise<{ KeyService: typeof KeyServiceType; open: typeof import('../store/open.js') }> {
  const [{ KeyService }, open] = await Promise.all([import('../api/keys.js'), import('../store/open.js')]);
  return { KeyService, open };
}

/** The one operator id `name` names in the dataset (an id, or a name of the data naming one operator). */
async function operatorIdFor(name: string, dataDir: string | undefined): Promise<{ id: string } | { error: string }> {
  const [{ loadDataset, defaultDataDir }, { operatorDirectory, operatorIdsOf }] = await Promise.all([
    import('../data/load.js'),
    import('../model/operators.js'),
  ]);
  const load = loadDataset(dataDir ?? defaultDataDir());
  if (load.errors.length)
    return { error: `the dataset in ${load.dir} has ${load.errors.length} error(s); run corridor validate` };
  const known = operatorDirectory(load.dataset).map((o) => o.id);
  const ids = operatorIdsOf(name);
  if (ids.length > 1) return { error: `--operator "${name}" names several operators (${ids.join(', ')}); give one id` };
  if (ids.length === 0 || !known.includes(nth(ids, 0)))
    return { error: `--operator "${name}" is not an operator of the data; valid: ${known.join(', ')}` };
  return { id: nth(ids, 0) };
}

export const registerKeysCommand: RegisterCommand = (program, cli) => {
  const { out, err, setStatus } = cli;
  const keys = program.command('keys').description('manage API keys (stored hashed; a key is shown once, at creation)');
  const withStore = async (
    db: string | undefined,
    fn: (s: Store, KeyService: typeof KeyServiceType) => Promise<void>,
  ) => {
    const { KeyService, open } = await deps();
    const { openStore, DEFAULT_DATABASE_URL, StoreUrlError } = open;
    let store: Store;
    try {
      store = await openStore(db ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
    } catch (e) {
      err(
        `corridor keys: cannot open the database: ` +
          `${e instanceof StoreUrlError || e instanceof Error ? e.message : String(e)}\n`,
      );
      setStatus(e instanceof StoreUrlError ? 2 : 1);
      return;
    }
    try {
      await fn(store, KeyService);
    } finally {
      await store.close();
    }
  };
  const dbOption = '--database <url>';
  const dbHelp = 'sqlite:/path or postgres://… (env DATABASE_URL, default sqlite:./var/corridor.sqlite)';

  keys
    .command('create')
    .description('create a key and print it (only this once)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option(
      '--operator <id>',
      'for --role operator: the operator id (GET /api/v1/operators lists them) whose services, tariffs and ' +
        'capacities the key may publish',
    )
    .option('--data <dir>', 'dataset the operator id is checked against (default: the shipped data, or CORRIDOR_DATA)')
    .option('--label <text>', 'who or what the key is for')
    .option(dbOption, dbHelp)
    .option('--json', 'print {id, role, operator, label, createdAt, key} as JSON')
    .action(
      async (opts: {
        role: string;
        operator?: string;
        data?: string;
        label?: string;
        database?: string;
        json?: boolean;
      }) => {
        if (!(ROLES as readonly string[]).includes(opts.role)) {
          err(`corridor keys create: --role "${opts.role}" is not a role; valid: ${ROLES.join(', ')}\n`);
          setStatus(2);
          return;
        }
        if ((opts.role === 'operator') !== (opts.operator !== undefined)) {
          err(
            `corridor keys create: ${
              opts.role === 'operator'
                ? '--role operator needs --operator <name>'
                : '--operator applies to --role operator only'
            }\n`,
          );
          setStatus(2);
          return;
        }
        let operator: string | null = null;
        if (opts.operator !== undefined) {
          const r = await operatorIdFor(opts.operator, opts.data ?? process.env.CORRIDOR_DATA);
          if ('error' in r) {
            err(`corridor keys create: ${r.error}\n`);
            setStatus(2);
            return;
          }
          operator = r.id;
        }
        await withStore(opts.database, async (store, KeyService) => {
          const k = await new KeyService(store).create(opts.role as Role, { operator, label: opts.label ?? null });
          if (opts.json) out(`${JSON.stringify({ ...k.record, key: k.key }, null, 2)}\n`);
          else out(`${k.key}\n`);
          err(
            `corridor: created ${k.record.role} key ` +
              `${k.record.id}${k.record.operator ? ` for ${k.record.operator}` : ''}; store it now, it is not ` +
              `shown again\n`,
          );
        });
      },
    );

  keys
    .command('list')
    .description('list keys (ids and roles, never the secrets)')
    .option(dbOption, dbHelp)
    .action(async (opts: { database?: string }) => {
      await withStore(opts.database, async (store) => {
        const list = await store.listKeys();
        if (list.length === 0) out('no keys\n');
        for (const k of list)
          out(
            `${k.id}  ${k.role.padEnd(8)}  ` +
              `${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.createdAt} ` +
              ` ${k.operator ?? ''}${k.label ? ` ${k.label}` : ''}\n`,
          );
      });
    });

  keys
    .command('revoke')
    .description('revoke a key by id')
    .argument('<id>', 'the key id (the part after cor_)')
    .option(dbOption, dbHelp)
    .action(async (id: string, opts: { database?: string }) => {
      await withStore(opts.database, async (store, KeyService) => {
        if (await new KeyService(store).revoke(id)) out(`revoked ${id}\n`);
        else {
          err(`corridor keys revoke: no active key with id "${id}"\n`);
          setStatus(1);
        }
      });
    });
};
