// @ts-check
/**
 * The layers of `src/`, top to bottom, and the folders each may import. Imports run one way only:
 * routes -> domain -> operations -> workflows -> aws / registry -> codec -> core / observability /
 * config, with `http/` and `schemas/` beside the routes importing only downward. ESLint enforces it
 * (`import-x/no-restricted-paths`, eslint.config.js) and test/architecture checks the folder graph
 * drawn from the code against it.
 */

/** @type {Record<string, readonly string[]>} folder (or top-level module) -> what it may import */
export const layers = {
  config: [],
  core: ['config'],
  observability: ['config'],
  codec: ['core'],
  registry: ['codec', 'core', 'observability', 'config'],
  aws: ['codec', 'core', 'observability', 'config'],
  workflows: ['aws', 'registry', 'codec', 'core', 'observability', 'config'],
  operations: ['workflows', 'aws', 'registry', 'codec', 'core', 'observability', 'config'],
  domain: ['operations', 'workflows', 'aws', 'registry', 'codec', 'core', 'observability', 'config'],
  schemas: ['domain', 'codec', 'core', 'config'],
  http: ['schemas', 'operations', 'aws', 'codec', 'core', 'observability', 'config'],
  routes: ['http', 'schemas', 'domain', 'operations', 'codec', 'core', 'observability', 'config'],
}

/** Modules at the top of `src/` that assemble everything: they may import any folder. */
export const entryModules = ['app.ts', 'server.ts']
