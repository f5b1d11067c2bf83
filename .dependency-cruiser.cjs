/**
 * The architecture's dependency rules, checked on every `npm test` (see ARCHITECTURE.md).
 * The domain core (model, network, routing and the engines) does no IO and knows nothing of the
 * application layer (src/service) or the edges (data loading, store, API, CLI, report, web, and
 * the solver host that runs HiGHS in a worker). The edges reach the engines through the service.
 *
 * The per-component rules are read from ARCHITECTURE.md's component table ("may import"), so the
 * document and the check cannot drift apart.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const CORE =
  '^src/(model|network|routing|schedule|tariff|emissions|flow|scenario|booking|tracking|calibrate|gazetteer|access)/';
const EDGES = '^src/(data|store|api|cli|web|solver|report|service|notify)/';

/** `| name | `src/dir/` | … | a, b, c |` rows of the component table → {dir, mayImport: [dir…]}. */
function componentTable() {
  const md = readFileSync(join(__dirname, 'ARCHITECTURE.md'), 'utf8');
  const rows = [...md.matchAll(/^\| ([^|]+?) \| `src\/([a-z]+)\/` \|[^\n]*\| ([^|\n]+) \|$/gm)];
  if (rows.length < 10) throw new Error(`ARCHITECTURE.md: expected the component table, found ${rows.length} rows`);
  const dirs = new Set(rows.map((r) => r[2]));
  return rows.map((r) => {
    const names = r[3].split(',').map((x) => x.trim().replace(/ \(edge\)$/, ''));
    const unknown = names.filter((n) => !dirs.has(n));
    if (unknown.length)
      throw new Error(`ARCHITECTURE.md row ${r[1]}: "may import" names no component ${unknown.join(', ')}`);
    return { name: r[1].trim(), dir: r[2], mayImport: names };
  });
}

const TABLE_RULES = componentTable().map((c) => ({
  name: `may-import-${c.dir}`,
  comment: `ARCHITECTURE.md: ${c.name} (src/${c.dir}/) may import ${c.mayImport.join(', ')}`,
  severity: 'error',
  from: { path: `^src/${c.dir}/` },
  to: { path: '^src/[a-z]+/', pathNot: `^src/(${c.mayImport.join('|')})/` },
}));

/** What the engines offer the application layer only: compiling, applying scenarios, searching, pricing, assigning. */
const ENGINE_ENTRY_POINTS = [
  '^src/network/compile\\.ts$',
  '^src/scenario/apply\\.ts$',
  '^src/routing/route\\.ts$',
  '^src/schedule/plan\\.ts$',
  '^src/tariff/priced-(routes|plan)\\.ts$',
  '^src/flow/assign\\.ts$',
].join('|');

module.exports = {
  forbidden: [
    ...TABLE_RULES,
    {
      name: 'edges-through-the-service',
      comment:
        'CLI commands, API routes, job kinds and the report ask the application service (src/service); they never ' +
        'compile a network, apply a scenario, or run a search, a plan, a pricing or an assignment themselves ' +
        '(type-only imports of the results are fine).',
      severity: 'error',
      from: { path: '^src/(api|cli|report)/' },
      to: { path: ENGINE_ENTRY_POINTS, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'api-not-cli',
      comment: 'The API and the CLI are sibling edges: the API imports nothing from the CLI.',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'core-no-io',
      comment:
        'The domain core imports no Node built-in (fs, net, http, ' +
        'worker_threads, …): it must run in a browser worker too.',
      severity: 'error',
      from: { path: CORE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-no-edges',
      comment: 'The domain core never imports loading, storage, API, CLI or web code.',
      severity: 'error',
      from: { path: CORE },
      to: { path: EDGES },
    },
    {
      name: 'model-imports-nothing',
      comment: 'src/model is plain types and pure helpers: it imports only itself.',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { pathNot: '^src/model/' },
    },
    {
      name: 'core-no-io-packages',
      comment: 'No database, HTTP, file-format or CLI packages in the core.',
      severity: 'error',
      from: { path: CORE },
      to: { path: 'node_modules/(better-sqlite3|pg|fastify|commander|yaml|csv|undici|ws)(/|$)' },
    },
    {
      name: 'web-through-the-api',
      comment:
        'The web page sees the engines only through the HTTP API (its typed client): it imports nothing from src/.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
