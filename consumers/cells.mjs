// The matrix of consumer projects: which framework versions each public package is installed
// with, and the peer ranges that matrix backs. A peer range may claim only what a cell installs
// and runs; `checkPeerRanges` fails the suite when a package.json says anything else, so changing
// a range means changing this file (and the cells) with it.

/** Tooling every project installs: the workspace's TypeScript and Node types. */
export const TOOLING = {
  typescript: '~5.9.3',
  '@types/node': '^20.19.0',
}

/** The Redis client of the apps' Redis runs (an optional peer of @cache/core). */
const IOREDIS = { ioredis: '^5.4.0' }

/**
 * The Nest packages of one major, both platforms. Nest 10 gets reflect-metadata 0.1 (what its
 * apps were generated with), the others 0.2: both halves of the peer range are installed.
 */
function nest(major) {
  return {
    '@nestjs/common': `^${major}.0.0`,
    '@nestjs/core': `^${major}.0.0`,
    '@nestjs/platform-express': `^${major}.0.0`,
    '@nestjs/platform-fastify': `^${major}.0.0`,
    'reflect-metadata': major === 10 ? '^0.1.13' : '^0.2.0',
    rxjs: '^7.1.0',
  }
}

/**
 * @typedef {object} Cell
 * @property {string} name project name, also the directory under the run's temp dir
 * @property {'core' | 'cli' | 'jest' | 'express' | 'fastify' | 'nestjs' | 'docs'} app what runs: a
 *   script that must print OK and exit (core), cachectl commands (cli), a Jest spec (jest), an HTTP app the runner checks
 *   (consumers/apps/<app>.ts), or the docs' snippets
 * @property {string[]} packages the @cache packages installed from their tarballs
 * @property {Record<string, string>} dependencies framework versions of the cell (registry ranges)
 * @property {string[]} [platforms] Nest only: the HTTP platforms the app runs on
 */

/**
 * The cells. Every app is compiled twice from one source, as `app.mts` (ESM, `import`) and as
 * `app.cts` (CommonJS, `require`), and both run: every package is exercised in both module
 * systems on every framework version.
 *
 * @param {number} newestNestMajor the newest `@nestjs/core` major on the registry
 * @returns {Cell[]}
 */
export function cells(newestNestMajor) {
  const nestMajors = [...new Set([10, 11, newestNestMajor])].sort((a, b) => a - b)
  return [
    {
      // The engine with the optional peers it uses and no ioredis: a Keyv store, @cache/ops, and
      // the plugins: metrics on prom-client 14 (the docs project type-checks 15), and spans
      // without @opentelemetry/api (the plugin takes the tracer it is given).
      name: 'core',
      app: 'core',
      packages: ['@cache/core', '@cache/ops', '@cache/prometheus', '@cache/opentelemetry'],
      dependencies: { keyv: '^5.0.0', 'prom-client': '^14.0.0' },
    },
    {
      // The CLI as installed: its bin, its dependencies on the @cache/core and @cache/ops tarballs.
      name: 'cli',
      app: 'cli',
      packages: ['@cache/core', '@cache/ops', '@cache/cli'],
      dependencies: {},
    },
    {
      name: 'express4',
      app: 'express',
      packages: ['@cache/core', '@cache/express'],
      dependencies: { express: '^4.21.0', '@types/express': '^4.17.21', ...IOREDIS },
    },
    {
      name: 'express5',
      app: 'express',
      packages: ['@cache/core', '@cache/express'],
      dependencies: { express: '^5.0.0', '@types/express': '^5.0.0', ...IOREDIS },
    },
    {
      name: 'fastify5',
      app: 'fastify',
      packages: ['@cache/core', '@cache/fastify'],
      dependencies: { fastify: '^5.0.0', ...IOREDIS },
    },
    {
      // A Nest app's tests under Jest (what `nest new` sets up): CommonJS through Jest's own
      // module runtime, which cannot require() an ES module before Node 24.9. Nest 11, the
      // newest Nest that is CommonJS itself (Nest 12's packages are ES modules).
      name: 'jest',
      app: 'jest',
      packages: ['@cache/core', '@cache/nestjs'],
      dependencies: { ...nest(11), jest: '^30.0.0' },
    },
    ...nestMajors.map((major) => ({
      name: `nest${major}`,
      app: /** @type {const} */ ('nestjs'),
      packages: ['@cache/core', '@cache/nestjs'],
      dependencies: { ...nest(major), ...IOREDIS },
      platforms: ['express', 'fastify'],
    })),
  ]
}

/**
 * The project every documentation snippet is type-checked in (and the runnable ones run in):
 * every public package, the newest framework majors, and what the snippets import besides.
 * `@keyv/sqlite` is installed without running its install script (building sqlite3 from source
 * takes minutes), so snippets that open a SQLite file are type-checked but not run.
 *
 * @param {number} newestNestMajor
 * @returns {Cell}
 */
export function docsCell(newestNestMajor) {
  return {
    name: 'docs',
    app: 'docs',
    packages: [
      '@cache/core',
      '@cache/ops',
      '@cache/express',
      '@cache/fastify',
      '@cache/nestjs',
      '@cache/prometheus',
      '@cache/opentelemetry',
    ],
    dependencies: {
      express: '^5.0.0',
      '@types/express': '^5.0.0',
      fastify: '^5.0.0',
      ...nest(newestNestMajor),
      ...IOREDIS,
      '@nestjs/config': '*',
      keyv: '^5.0.0',
      '@keyv/sqlite': '^4.0.0',
      'prom-client': '^15.0.0',
      '@opentelemetry/api': '^1.0.0',
      openai: '*',
    },
  }
}

/**
 * The peer ranges the cells back, per package: exactly these strings must be in the packages'
 * package.json. ioredis 5 (every Redis run), keyv 5 (core), prom-client 14 (the core cell) and
 * 15 (docs, type-checked); Express 4 and 5; Fastify 5 (Fastify 4 is not claimed, so not tested); Nest 10,
 * 11 and the newest major (12 today: a newer one on the registry fails the run until it is added
 * here and to the range); reflect-metadata 0.1 (Nest 10) and 0.2; rxjs 7. Each major is tested
 * at its newest version, not at the floor of the range.
 */
export const PEER_RANGES = {
  '@cache/core': { ioredis: '^5.4.0', keyv: '^5.0.0' },
  // Declared, not run here: sqlite3 fetches its prebuilt binary from outside the npm registry,
  // else builds from source for minutes. The CLI's own tests run its SQLite paths in the workspace.
  '@cache/cli': { '@keyv/sqlite': '^4.0.8' },
  // @cache/core: every adapter cell installs the core tarball of the same run (0.1 today).
  '@cache/ops': { '@cache/core': '^0.1.0' },
  '@cache/express': { '@cache/core': '^0.1.0', express: '>=4.21 <6' },
  '@cache/fastify': { '@cache/core': '^0.1.0', fastify: '5.x' },
  '@cache/prometheus': { '@cache/core': '^0.1.0', 'prom-client': '>=14 <16' },
  '@cache/opentelemetry': { '@cache/core': '^0.1.0' },
  '@cache/nestjs': {
    '@cache/core': '^0.1.0',
    '@nestjs/common': '>=10 <13',
    '@nestjs/core': '>=10 <13',
    'reflect-metadata': '^0.1.13 || ^0.2.0',
    rxjs: '^7.1.0',
  },
}
