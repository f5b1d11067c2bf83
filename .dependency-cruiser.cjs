/**
 * The architecture's dependency rules, checked on every `npm test` (see ARCHITECTURE.md).
 * The domain core (model, network, routing and the engines that will join them) does no IO and
 * knows nothing of the edges (data loading, store, API, CLI, web, and the solver host that runs HiGHS in a worker).
 */
const CORE = '^src/(model|network|routing|schedule|tariff|emissions|flow|scenario)/';
const EDGES = '^src/(data|store|api|cli|web|solver)/';

module.exports = {
  forbidden: [
    {
      name: 'core-no-io',
      comment:
        'The domain core imports no Node built-in (fs, net, http, worker_threads, …): it must run in a browser worker too.',
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
