/**
 * The import graph's one-way rules (issue 12): http → domain → (repositories | engine); the lower
 * server layers (processes, config, lib, db) never reach up; workers depend only on their ports
 * and the shared model (model/), never on server/; SQL (knex) only in repositories, db and
 * migrations. `npm run depcruise` checks them, `npm test` runs it first.
 */
const LOWER = '^server/(repositories|engine|processes|config|lib|db)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'workers-not-to-server',
      comment: 'Workers see the server only through their ports (workers/ports.ts).',
      severity: 'error',
      from: { path: '^workers/' },
      to: { path: '^server/' },
    },
    {
      name: 'migrations-not-to-workers',
      comment: 'Seeds share code with the workers through model/, not by importing a worker module.',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: '^workers/' },
    },
    {
      name: 'model-is-a-leaf',
      comment: 'The shared model (model/) is plain TypeScript used by server and workers alike.',
      severity: 'error',
      from: { path: '^model/' },
      to: { path: '^(server|workers)/' },
    },
    {
      name: 'lower-layers-not-up',
      comment: 'repositories, engine, processes, config, lib and db are used by domain and http, never the other way round.',
      severity: 'error',
      from: { path: LOWER },
      to: { path: '^server/(domain|http)/' },
    },
    {
      name: 'domain-not-to-http',
      comment: 'Domain services know nothing of koa routes.',
      severity: 'error',
      from: { path: '^server/domain/' },
      to: { path: '^server/http/' },
    },
    {
      name: 'http-not-to-engine-or-db',
      comment: 'Routes reach the engine and the database through domain services only.',
      severity: 'error',
      from: { path: '^server/http/' },
      to: { path: '^server/(engine|db)/' },
    },
    {
      name: 'repositories-not-to-engine',
      comment: 'Repositories are SQL only; the engine uses them, not the other way round.',
      severity: 'error',
      from: { path: '^server/repositories/' },
      to: { path: '^server/engine/' },
    },
    {
      name: 'server-not-to-workers',
      comment:
        'The server takes shared types and rules from model/. Only the composition root (services.ts) and the ' +
        'worker runtime may import the worker registry; the worker runtime and worker ports implement workers/ports.ts.',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/(services\\.ts|engine/worker-runtime\\.ts|engine/worker-ports\\.ts)$' },
      to: { path: '^workers/' },
    },
    {
      name: 'worker-registry-only-from-root',
      comment: 'workers/index.ts (the registry) is wired in by services.ts and the worker runtime only.',
      severity: 'error',
      from: { path: '^server/', pathNot: '^server/(services\\.ts|engine/worker-runtime\\.ts)$' },
      to: { path: '^workers/index\\.ts$' },
    },
    {
      name: 'worker-ports-implement-ports-only',
      comment: 'The server side of the workers implements their ports; it does not call job handlers.',
      severity: 'error',
      from: { path: '^server/engine/worker-(runtime|ports)\\.ts$' },
      to: { path: '^workers/', pathNot: '^workers/(ports|index)\\.ts$' },
    },
    {
      name: 'no-cycles-in-server',
      severity: 'error',
      from: { path: '^server/' },
      to: { circular: true },
    },
    {
      name: 'knex-only-in-repositories',
      comment: 'SQL lives in server/repositories (and server/db, migrations); elsewhere knex is at most a type.',
      severity: 'error',
      from: { path: '^(server|workers|model)/', pathNot: '^server/(repositories|db)/' },
      to: { path: 'node_modules/knex/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|data|\\.zeebe)/' },
    // tests may reach across layers to set things up
    includeOnly: { path: ['^(server|workers|model|migrations)/', '^node_modules/knex/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
