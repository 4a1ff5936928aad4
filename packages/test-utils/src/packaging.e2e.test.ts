import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { formatMessage } from 'publint/utils'
import semver from 'semver'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * Packaging check of the public packages, from their built `dist/` (turbo builds them before this
 * package's tests; see this package's turbo.json): every tarball holds what a registry user needs
 * (LICENSE, a README that links nowhere outside the package, every file its manifest names, no
 * source maps) within its size budget; publint and attw must find no errors on the libraries,
 * and their tarballs, unpacked into a bare node_modules (no registry, no workspace links), must
 * load from a plain CommonJS and a plain ESM consumer with the expected exports.
 */

const run = promisify(execFile)
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const require = createRequire(import.meta.url)

type ExportKind = 'function' | 'object' | 'string'

interface PublishedPackage {
  name: string
  dir: string
  /** Budget of the packed tarball in bytes (what `npm pack` reports as its size). */
  maxPackedBytes: number
}

interface PublicPackage extends PublishedPackage {
  /** Export names a consumer must see, with their `typeof`. Extend as the packages grow. */
  exports: Record<string, ExportKind>
  /** Names that must never be exported. */
  forbidden?: string[]
  /** Subpath entries (loaded with their optional peers installed) and the exports they must have. */
  subpaths?: Record<string, Record<string, ExportKind>>
}

const packages: PublicPackage[] = [
  {
    name: '@cache/core',
    dir: 'packages/core',
    // One CommonJS build with its declarations, and an ESM entry of two small files per entry
    // point that re-exports it (tsup.shared.ts), without source maps.
    maxPackedBytes: 150_000,
    exports: {
      CORE_VERSION: 'string',
      createCache: 'function',
      hashKey: 'function',
      isCacheError: 'function',
      errors: 'object',
    },
    // The root is what an application calls: the codec and the helpers of packages built on the
    // engine have their own entries.
    forbidden: ['decodeEntry', 'encodeEntry', 'CODEC_VERSION', 'assertKnownOptions', 'optionKeys'],
    subpaths: {
      '@cache/core/redis': { RedisStore: 'function' },
      '@cache/core/keyv': { KeyvStore: 'function' },
      '@cache/core/http': { createHttpCache: 'function', formatCacheStatus: 'function' },
      '@cache/core/http/adapter': {
        resolveRouteOptions: 'function',
        nodeRequestInfo: 'function',
        holdNodeResponse: 'function',
        writeNodeDecision: 'function',
      },
      '@cache/core/layout': { splitKey: 'function', peekEntryHeader: 'function', decodeEntry: 'function' },
      '@cache/core/plugin': { assertKnownOptions: 'function', optionKeys: 'function' },
      '@cache/core/trace': { instrumentCache: 'function', CACHE_CHANNELS: 'object' },
    },
  },
  {
    name: '@cache/ops',
    dir: 'packages/ops',
    maxPackedBytes: 60_000,
    exports: {
      exportEntries: 'function',
      importEntries: 'function',
      exportSnapshot: 'function',
      importSnapshot: 'function',
      validateSnapshot: 'function',
      snapshotFile: 'function',
      syncCaches: 'function',
      prewarm: 'function',
      publishStats: 'function',
      readPublishedStats: 'function',
    },
    subpaths: {
      '@cache/ops/tooling': {
        scanStoreKeys: 'function',
        scanRedisKeys: 'function',
        classifyEntry: 'function',
        runConcurrent: 'function',
        publishInvalidation: 'function',
      },
    },
  },
  {
    name: '@cache/express',
    dir: 'packages/express',
    maxPackedBytes: 25_000,
    exports: { responseCache: 'function' },
  },
  {
    name: '@cache/fastify',
    dir: 'packages/fastify',
    maxPackedBytes: 25_000,
    exports: { responseCachePlugin: 'function' },
  },
  {
    name: '@cache/nestjs',
    dir: 'packages/nestjs',
    maxPackedBytes: 25_000,
    exports: {
      ResponseCacheModule: 'function',
      ResponseCacheInterceptor: 'function',
      CacheResponse: 'function',
      NoCache: 'function',
      InvalidateTags: 'function',
      Memoize: 'function',
    },
    // The names @nestjs/cache-manager uses stay theirs, so both can be installed side by side.
    forbidden: ['CacheModule', 'CacheInterceptor', 'CacheKey', 'CacheTTL'],
  },
  {
    name: '@cache/prometheus',
    dir: 'packages/prometheus',
    maxPackedBytes: 10_000,
    exports: { registerCacheMetrics: 'function' },
  },
  {
    name: '@cache/opentelemetry',
    dir: 'packages/opentelemetry',
    maxPackedBytes: 8_000,
    exports: { traceWithOpenTelemetry: 'function' },
  },
]

/** Every published package: the libraries above, and the command (packed, never imported). */
const published: PublishedPackage[] = [
  ...packages,
  { name: '@cache/cli', dir: 'packages/cli', maxPackedBytes: 60_000 },
]

/** What `scripts/pack-all.mjs --json` reports of one tarball. */
interface PackResult {
  size: number
  unpackedSize: number
  /** Paths in the tarball, sorted. */
  files: string[]
}

/** The `exports` targets of a manifest: a path, or conditions mapping to paths. */
type ExportTarget = string | { [condition: string]: ExportTarget }

interface PackageJson {
  name: string
  main?: string
  module?: string
  types?: string
  bin?: Record<string, string>
  exports?: Record<string, ExportTarget>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}

/** Subpaths that need an optional peer to load, and that peer (see the core's peerDependenciesMeta). */
const MISSING_PEERS: [specifier: string, peer: string][] = [
  ['@cache/core/redis', 'ioredis'],
  ['@cache/core/keyv', 'keyv'],
]

let work = ''
let consumer = ''
const tarballs = new Map<string, string>()
const packs = new Map<string, PackResult>()

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T
}

/** Runs `node file` in the consumer dir and parses the JSON it prints. */
async function runConsumer(file: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [file], { cwd: consumer }).catch((error) => {
    throw new Error(`${file} failed:\n${error.stderr || error.message}`)
  })
  return JSON.parse(stdout) as Record<string, unknown>
}

/** Links a dependency from the repo's node_modules into the consumer (no network install). */
async function linkFromRepo(dependency: string): Promise<boolean> {
  const source = join(root, 'node_modules', dependency)
  const target = join(consumer, 'node_modules', dependency)
  if (!existsSync(source) || existsSync(target)) return existsSync(target)
  await mkdir(dirname(target), { recursive: true })
  await symlink(source, target, 'dir')
  return true
}

/** Links the non-@cache dependencies of every unpacked package; optional peers only when asked. */
async function linkDependencies(withOptionalPeers: boolean): Promise<string[]> {
  const missing: string[] = []
  for (const pkg of packages) {
    const manifest = await readJson<PackageJson>(join(consumer, 'node_modules', pkg.name, 'package.json'))
    const optional = (name: string) => manifest.peerDependenciesMeta?.[name]?.optional === true
    const wanted = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((name) => withOptionalPeers || !optional(name)),
    ].filter((name) => !name.startsWith('@cache/'))
    for (const name of wanted) if (!(await linkFromRepo(name))) missing.push(`${pkg.name} -> ${name}`)
  }
  return missing
}

beforeAll(async () => {
  const unbuilt = packages.filter((pkg) => !existsSync(join(root, pkg.dir, 'dist')))
  if (unbuilt.length > 0) {
    throw new Error(
      `not built: ${unbuilt.map((pkg) => pkg.name).join(', ')}; run \`npx turbo run build\` first ` +
        '(turbo does it before this package\u2019s tests)',
    )
  }
  work = await mkdtemp(join(tmpdir(), 'cache-packaging-'))
  consumer = join(work, 'consumer')
  await mkdir(join(consumer, 'node_modules'), { recursive: true })
  // The repository's own packing script (`npm run pack:all`), as a user installing from the
  // repository runs it: `npm pack` with scripts, as `npm publish` packs (the prepack script copies
  // the root LICENSE in; nothing is built: the tarball holds exactly what turbo built).
  const { stdout } = await run('node', [join(root, 'scripts/pack-all.mjs'), '--out', work, '--json'], {
    cwd: root,
  })
  const listed = JSON.parse(stdout) as (PackResult & { name: string; tarball: string })[]
  // A public package this suite does not know would go out unchecked.
  expect(listed.map((p) => p.name).sort()).toEqual(published.map((p) => p.name).sort())
  await Promise.all(
    listed.map(async (packed) => {
      tarballs.set(packed.name, packed.tarball)
      packs.set(packed.name, packed)
      const pkg = published.find((p) => p.name === packed.name)!
      if (!packages.includes(pkg as PublicPackage)) return
      const target = join(consumer, 'node_modules', pkg.name)
      await mkdir(target, { recursive: true })
      await run('tar', ['-xzf', packed.tarball, '-C', target, '--strip-components=1'])
    }),
  )
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }))
}, 180_000)

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
})

/**
 * The workspace's own export condition: the TypeScript source, for the repo's typecheck and tests
 * only. `src/` is not published, so its name must be one no consumer's tool sets (a `source` or
 * `development` condition would send bundlers that honour it to a missing file).
 */
const SOURCE_CONDITION = '@cache/source'

/** The targets of `condition` anywhere in a manifest's `exports`. */
function conditionTargets(manifest: PackageJson, condition: string): string[] {
  const targets: string[] = []
  const walk = (target: ExportTarget | undefined): void => {
    if (!target || typeof target === 'string') return
    for (const [key, value] of Object.entries(target)) {
      if (key === condition && typeof value === 'string') targets.push(value)
      else walk(value)
    }
  }
  walk(manifest.exports)
  return targets
}

/**
 * Every file path a manifest points at for its consumers (entry points, types, bins), without the
 * leading `./`: every target but those of the workspace-only source condition.
 */
function manifestFiles(manifest: PackageJson): string[] {
  const paths: string[] = []
  const walk = (target: ExportTarget | undefined): void => {
    if (typeof target === 'string') paths.push(target)
    else if (target) {
      for (const [key, value] of Object.entries(target)) if (key !== SOURCE_CONDITION) walk(value)
    }
  }
  walk(manifest.exports)
  for (const path of [manifest.main, manifest.module, manifest.types, ...Object.values(manifest.bin ?? {})]) {
    walk(path)
  }
  return [...new Set(paths.map((path) => path.replace(/^\.\//, '')))].sort()
}

describe.concurrent.each(published)('$name tarball', (pkg) => {
  it('holds LICENSE, README.md and every file its manifest names', async () => {
    const manifest = await readJson<PackageJson>(join(root, pkg.dir, 'package.json'))
    const files = packs.get(pkg.name)!.files
    for (const file of ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', ...manifestFiles(manifest)]) {
      expect(files, `${pkg.name} tarball`).toContain(file)
    }
    const license = await readFile(join(root, 'LICENSE'), 'utf8')
    expect(license).toMatch(/^MIT License/)
    expect(await readFile(join(root, pkg.dir, 'LICENSE'), 'utf8'), 'the root LICENSE, copied').toBe(license)
  })

  it('names its source only under the private workspace condition, first in each entry', async () => {
    const manifest = await readJson<PackageJson>(join(root, pkg.dir, 'package.json'))
    for (const condition of ['source', 'development', 'typescript', 'ts']) {
      expect(conditionTargets(manifest, condition), `${pkg.name} "${condition}" condition`).toEqual([])
    }
    const files = new Set(packs.get(pkg.name)!.files)
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      if (typeof target === 'string') continue
      const [first, source] = Object.entries(target)[0]!
      // First: conditions match in key order, and the repo's tools must see it before `import`.
      expect(first, `${pkg.name} exports["${subpath}"]`).toBe(SOURCE_CONDITION)
      expect(source, `${pkg.name} exports["${subpath}"]`).toMatch(/^\.\/src\/.+\.ts$/)
      expect(files.has((source as string).slice(2)), `${source} is not published`).toBe(false)
    }
  })

  it('ships no source maps and stays within its size budget', () => {
    const packed = packs.get(pkg.name)!
    // Maps would point at src/ files the tarball does not hold, or embed them (most of the size).
    expect(packed.files.filter((path) => /\.map$/.test(path))).toEqual([])
    expect(packed.size, `${pkg.name} packed bytes`).toBeLessThanOrEqual(pkg.maxPackedBytes)
  })

  it('has a README whose links work on the registry (no relative links out of the package)', async () => {
    const readme = await readFile(join(root, pkg.dir, 'README.md'), 'utf8')
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!)
    // Once installed, a relative link resolves only to the tarball's own files (there is no
    // public repository URL to point at).
    const files = new Set(packs.get(pkg.name)!.files)
    const broken = links.filter(
      (link) => !/^(https?:|mailto:|#)/.test(link) && !files.has(link.replace(/^\.\//, '')),
    )
    expect(broken, `${pkg.name} README links`).toEqual([])
  })
})

describe.concurrent.each(packages.filter((pkg) => pkg.name !== '@cache/core'))('$name manifest', (pkg) => {
  it("takes @cache/core as a peer that accepts today's core, never as its own dependency", async () => {
    const manifest = await readJson<PackageJson & { version: string }>(join(root, pkg.dir, 'package.json'))
    const core = await readJson<{ version: string }>(join(root, 'packages/core/package.json'))
    // A dependency would install a second core beside the app's (two caches, two registries of
    // options); a peer makes npm share the app's copy, or refuse a core it was not built for.
    expect(manifest.dependencies?.['@cache/core']).toBeUndefined()
    const range = manifest.peerDependencies?.['@cache/core']
    expect(range, `${pkg.name} peerDependencies['@cache/core']`).toBeDefined()
    expect(semver.satisfies(core.version, range!), `${core.version} in ${range}`).toBe(true)
  })
})

describe.concurrent.each(packages)('$name', (pkg) => {
  it('passes publint with no errors', async () => {
    const { publint } = await import('publint')
    // The tarball we ship, not the folder: exactly the files a user gets.
    const bytes = await readFile(tarballs.get(pkg.name)!)
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    const { messages, pkg: manifest } = await publint({ pack: { tarball }, level: 'warning' })
    const errors = messages.filter((message) => message.type === 'error')
    expect(errors.map((message) => formatMessage(message, manifest) ?? message.code)).toEqual([])
  })

  it('passes @arethetypeswrong/cli (ESM and CJS types resolve in node10, node16 and bundlers)', async () => {
    const attw = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist/index.js')
    // --no-definitely-typed: no registry lookups for @types packages; the tarball is what we ship.
    const args = [attw, tarballs.get(pkg.name)!, '--format', 'json', '--no-definitely-typed']
    const result = await run(process.execPath, args, { cwd: work, maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout?: string; stderr?: string }) => error,
    )
    const report = JSON.parse(result.stdout || '{}') as {
      analysis?: {
        types?: unknown
        problems?: { kind: string; entrypoint?: string; resolutionKind?: string }[]
      }
    }
    expect(report.analysis, result.stderr).toBeDefined()
    expect(report.analysis?.types, 'the package ships types').toBeTruthy()
    // node10 problems on subpaths are fixed with `typesVersions` in the package.json (TypeScript's
    // default resolution for `module: commonjs`, so common in Nest apps).
    expect(report.analysis?.problems ?? [], 'attw problems (https://arethetypeswrong.github.io)').toEqual([])
    // Several attw runs at once take a few CPU seconds each, and far longer on a busy machine.
  }, 180_000)
})

describe('plain consumers of the packed tarballs', () => {
  const names = packages.map((pkg) => pkg.name)
  type Report = Record<string, { file: string; exports: Record<string, string> }>

  beforeAll(async () => {
    expect(await linkDependencies(false), 'dependencies missing from the repo node_modules').toEqual([])
    await writeFile(
      join(consumer, 'consumer.cjs'),
      `const names = ${JSON.stringify(names)}
const out = {}
for (const name of names) {
  const mod = require(name)
  out[name] = {
    file: require.resolve(name),
    exports: Object.fromEntries(Object.keys(mod).map((key) => [key, typeof mod[key]])),
  }
}
// The root entries must not load a store client (ioredis and keyv are optional peers).
out.loadedPeers = Object.keys(require.cache).filter((file) => /[\\\\/]node_modules[\\\\/](ioredis|keyv)[\\\\/]/.test(file))
console.log(JSON.stringify(out))
`,
    )
    const core = packages[0]!
    await writeFile(
      join(consumer, 'consumer.mjs'),
      // Static named imports: a missing export is a link error before any code runs.
      `import { ${Object.keys(core.exports).join(', ')} } from '@cache/core'
void [${Object.keys(core.exports).join(', ')}]
const names = ${JSON.stringify(names)}
const out = {}
for (const name of names) {
  const mod = await import(name)
  out[name] = {
    file: import.meta.resolve(name),
    exports: Object.fromEntries(Object.keys(mod).map((key) => [key, typeof mod[key]])),
  }
}
console.log(JSON.stringify(out))
`,
    )
  })

  function expectExports(seen: Record<string, string>, pkg: PublicPackage, flavour: string) {
    for (const [name, kind] of Object.entries(pkg.exports)) {
      expect(seen[name], `${flavour} ${pkg.name} export ${name}`).toBe(kind)
    }
    for (const name of pkg.forbidden ?? []) expect(seen, `${flavour} ${pkg.name}`).not.toHaveProperty(name)
  }

  it('CommonJS: require() loads every package from its .cjs build, without optional peers', async () => {
    const out = (await runConsumer('consumer.cjs')) as Report & { loadedPeers?: unknown }
    for (const pkg of packages) {
      expect(out[pkg.name]!.file, pkg.name).toMatch(/[\\/]dist[\\/][^\\/]+\.cjs$/)
      expectExports(out[pkg.name]!.exports, pkg, 'CJS')
    }
    expect(out.loadedPeers).toEqual([])
  })

  it('ESM: import loads every package from its ESM build, with named imports', async () => {
    const out = (await runConsumer('consumer.mjs')) as Report
    for (const pkg of packages) {
      expect(out[pkg.name]!.file, pkg.name).toMatch(/\/dist\/[^/]+\.js$/)
      // A namespace with a `default` export would mean the CJS build was picked.
      expect(out[pkg.name]!.exports, pkg.name).not.toHaveProperty('default')
      expectExports(out[pkg.name]!.exports, pkg, 'ESM')
    }
  })

  it('CommonJS and ESM builds export the same names', async () => {
    const [cjs, esm] = (await Promise.all([
      runConsumer('consumer.cjs'),
      runConsumer('consumer.mjs'),
    ])) as Report[]
    for (const name of names) {
      expect(Object.keys(cjs![name]!.exports).sort(), name).toEqual(Object.keys(esm![name]!.exports).sort())
    }
  })

  it('subpaths without their optional peer throw ERR_CACHE_MISSING_PEER naming it; tracing needs no @opentelemetry/api', async () => {
    const cases = JSON.stringify(MISSING_PEERS)
    // Each script tries every subpath in a fresh process, with require() or import(), and prints
    // what happened; then traces a cache with @cache/opentelemetry, @opentelemetry/api not
    // installed (the plugin uses the tracer it is given).
    const body = (load: string) => `const out = {}
for (const [specifier, peer] of ${cases}) {
  let resolvable = true
  try { require.resolve(peer) } catch { resolvable = false }
  try {
    await ${load}(specifier)
    out[specifier] = { resolvable, loaded: true }
  } catch (error) {
    out[specifier] = { resolvable, code: error.code, message: error.message }
  }
}
let openTelemetryResolvable = true
try { require.resolve('@opentelemetry/api') } catch { openTelemetryResolvable = false }
out.openTelemetryResolvable = openTelemetryResolvable
const { createCache } = await ${load}('@cache/core')
const { instrumentCache } = await ${load}('@cache/core/trace')
const { traceWithOpenTelemetry } = await ${load}('@cache/opentelemetry')
const cache = createCache({ namespace: 'app' })
const spans = []
instrumentCache(cache)
const stop = traceWithOpenTelemetry({
  startSpan: (name) => {
    spans.push(name)
    return { setAttribute() {}, recordException() {}, setStatus() {}, end() {} }
  },
})
await cache.get('k')
stop()
out.spans = spans
console.log(JSON.stringify(out))
`
    await writeFile(join(consumer, 'missing-peers.cjs'), `(async () => {\n${body('require')}})()\n`)
    await writeFile(
      join(consumer, 'missing-peers.mjs'),
      `import { createRequire } from 'node:module'\nconst require = createRequire(import.meta.url)\nconst load = (name) => import(name)\n${body('load')}`,
    )
    for (const file of ['missing-peers.cjs', 'missing-peers.mjs']) {
      const out = (await runConsumer(file)) as Record<string, Record<string, unknown>> & {
        spans: string[]
        openTelemetryResolvable: boolean
      }
      for (const [specifier, peer] of MISSING_PEERS) {
        expect(out[specifier], `${file}: ${specifier}`).toEqual({
          resolvable: false,
          code: 'ERR_CACHE_MISSING_PEER',
          message: `${specifier} needs the optional peer dependency "${peer}", which is not installed: npm install ${peer}`,
        })
      }
      expect(out.openTelemetryResolvable, `${file}: @opentelemetry/api installed`).toBe(false)
      expect(out.spans, `${file}: spans without @opentelemetry/api`).toEqual(['cache.get'])
    }
  })

  // Last: it installs the optional peers into the consumer.
  it('subpath entries load in both formats once their optional peers are installed', async () => {
    expect(await linkDependencies(true), 'dependencies missing from the repo node_modules').toEqual([])
    const subpaths = packages.flatMap((pkg) => Object.entries(pkg.subpaths ?? {}))
    const specifiers = JSON.stringify(subpaths.map(([specifier]) => specifier))
    const collect = 'Object.fromEntries(Object.keys(mod).map((key) => [key, typeof mod[key]]))'
    await writeFile(
      join(consumer, 'subpaths.cjs'),
      `const out = {}\nfor (const name of ${specifiers}) { const mod = require(name); out[name] = ${collect} }\nconsole.log(JSON.stringify(out))\n`,
    )
    await writeFile(
      join(consumer, 'subpaths.mjs'),
      `const out = {}\nfor (const name of ${specifiers}) { const mod = await import(name); out[name] = ${collect} }\nconsole.log(JSON.stringify(out))\n`,
    )
    for (const file of ['subpaths.cjs', 'subpaths.mjs']) {
      const out = (await runConsumer(file)) as Record<string, Record<string, string>>
      for (const [specifier, expected] of subpaths) {
        for (const [name, kind] of Object.entries(expected)) {
          expect(out[specifier]?.[name], `${file}: ${specifier} export ${name}`).toBe(kind)
        }
      }
    }
  })

  it('import and require() of a package load one copy (no dual package hazard)', async () => {
    const specifiers = JSON.stringify([
      ...names,
      ...packages.flatMap((pkg) => Object.keys(pkg.subpaths ?? {})),
    ])
    await writeFile(
      join(consumer, 'one-copy.mjs'),
      `import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const out = {}
for (const name of ${specifiers}) {
  const esm = await import(name)
  const cjs = require(name)
  const keys = Object.keys(esm)
  out[name] = { keys: keys.length, different: keys.filter((key) => esm[key] !== cjs[key]) }
}
console.log(JSON.stringify(out))
`,
    )
    // After the test above: the subpaths need their optional peers.
    expect(await linkDependencies(true), 'dependencies missing from the repo node_modules').toEqual([])
    const out = (await runConsumer('one-copy.mjs')) as Record<string, { keys: number; different: string[] }>
    for (const [name, { keys, different }] of Object.entries(out)) {
      expect(keys, `${name} exports`).toBeGreaterThan(0)
      // Two builds would give an importing app and a requiring plugin two classes of each export.
      expect(different, `${name}: exports that differ between import and require()`).toEqual([])
    }
  })
})
