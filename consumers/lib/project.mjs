// A consumer project outside the workspace: a package.json with the packed tarballs and the
// cell's framework versions from the registry, installed with npm, and a strict tsconfig.
import { existsSync } from 'node:fs'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { run } from './exec.mjs'

/**
 * Writes the project's package.json and installs it. Install scripts are skipped (no package
 * the apps use needs one; sqlite3's would build from source for minutes); the npm cache is the
 * user's, shared with every other project of the run.
 *
 * @param {string} dir
 * @param {import('../cells.mjs').Cell} cell
 * @param {Map<string, string>} tarballs
 * @param {Record<string, string>} tooling
 */
export async function installProject(dir, cell, tarballs, tooling) {
  await mkdir(dir, { recursive: true })
  const dependencies = { ...tooling, ...cell.dependencies }
  for (const name of cell.packages) dependencies[name] = `file:${tarballs.get(name)}`
  // `type` stays unset: CommonJS by default, the ESM half of each app says so in its own folder.
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: `consumer-${cell.name}`, private: true, dependencies }, null, 2),
  )
  const args = [
    'install',
    '--no-audit',
    '--no-fund',
    '--ignore-scripts',
    '--prefer-offline',
    '--loglevel=error',
  ]
  await run('npm', args, { cwd: dir, timeoutMs: 10 * 60_000 })
  await expectOneCopy(dir, '@cache/core')
}

/** Every package must resolve the one @cache/core of the project (a second copy hides bugs). */
async function expectOneCopy(dir, name) {
  const copies = []
  async function walk(nodeModules) {
    if (!existsSync(nodeModules)) return
    if (existsSync(join(nodeModules, name, 'package.json')))
      copies.push(relative(dir, join(nodeModules, name)))
    for (const entry of await readdir(nodeModules)) {
      if (entry.startsWith('.')) continue
      const scoped = entry.startsWith('@')
        ? (await readdir(join(nodeModules, entry))).map((n) => `${entry}/${n}`)
        : [entry]
      for (const pkg of scoped) await walk(join(nodeModules, pkg, 'node_modules'))
    }
  }
  await walk(join(dir, 'node_modules'))
  if (copies.length !== 1)
    throw new Error(`expected one copy of ${name}, found ${copies.length}: ${copies.join(', ')}`)
}

/**
 * A strict tsconfig compiling src/<folder> to dist/<folder>: NodeNext, so the folder's
 * package.json `type` decides whether its files are ESM (`import`, the packages' .d.ts) or
 * CommonJS (`require`, their .d.cts). One program per module system, as in a real project.
 * `skipLibCheck` is off: the packages' own declaration files are checked too.
 *
 * @returns {Promise<string>} the tsconfig file name
 */
export async function writeTsconfig(dir, folder, { decorators }) {
  const compilerOptions = {
    strict: true,
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    moduleDetection: 'force',
    esModuleInterop: true,
    skipLibCheck: false,
    types: ['node'],
    rootDir: `src/${folder}`,
    outDir: `dist/${folder}`,
    ...(decorators ? { experimentalDecorators: true, emitDecoratorMetadata: true } : {}),
  }
  const file = `tsconfig.${folder}.json`
  await writeFile(join(dir, file), JSON.stringify({ compilerOptions, include: [`src/${folder}`] }, null, 2))
  return file
}

/** Writes a file, and the `{ "type": ... }` package.json of its folder in src/ and dist/. */
export async function writeSource(dir, path, text, type) {
  for (const base of ['src', 'dist']) {
    await mkdir(join(dir, base, dirname(path)), { recursive: true })
    await writeFile(join(dir, base, dirname(path), 'package.json'), JSON.stringify({ type }))
  }
  await writeFile(join(dir, 'src', path), text)
}

/**
 * @typedef {{ file: string, line: number, column: number, message: string }} Diagnostic
 */

/**
 * Type-checks and compiles the project with its own TypeScript. Resolves with the diagnostics
 * (empty when it compiled cleanly); files are emitted either way.
 * @returns {Promise<Diagnostic[]>}
 */
export async function compile(dir, tsconfig) {
  const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc')
  const result = await run(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'], { cwd: dir }).catch(
    (error) => error,
  )
  return parseDiagnostics(result.stdout ?? String(result))
}

function parseDiagnostics(output) {
  /** @type {Diagnostic[]} */
  const diagnostics = []
  for (const line of output.split('\n')) {
    const match = /^(.+?)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(line)
    if (match) {
      diagnostics.push({
        file: match[1],
        line: Number(match[2]),
        column: Number(match[3]),
        message: match[4],
      })
    } else if (line.trim() && diagnostics.length > 0) {
      diagnostics.at(-1).message += `\n  ${line.trim()}`
    } else if (line.trim()) {
      diagnostics.push({ file: '', line: 0, column: 0, message: line.trim() })
    }
  }
  return diagnostics
}
