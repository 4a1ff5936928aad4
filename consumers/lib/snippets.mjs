// The docs' TypeScript snippets, checked as a user would paste them: every ```ts / ```typescript
// block of docs/**/*.md and packages/*/README.md becomes one module of the docs project, is
// type-checked under `strict` against the installed packages, and run when marked runnable.
//
// Directives, in HTML comments (invisible on GitHub) right before a block, blank lines allowed:
//   <!-- snippet: skip <why> -->      not checked (a deliberate fragment, a private package...)
//   <!-- snippet: run -->             also run with node: must exit 0 by itself within 20 s
//                                     (REDIS_URL points at the run's private redis-server)
//   <!-- snippet: context
//   <code> -->                        prepended to the block, unseen by readers: the variables a
//                                     fragment continues from (`declare const cache: Cache`)
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { run } from './exec.mjs'
import { compile, writeSource, writeTsconfig } from './project.mjs'

const RUN_TIMEOUT_MS = 20_000
const DIRECTIVE = /^<!--\s*snippet:\s*(skip|run|context)\b([\s\S]*?)-->$/

/**
 * @typedef {object} Snippet
 * @property {string} file the markdown file, relative to the repo root
 * @property {number} line line of the opening fence
 * @property {string} source context + code, as compiled
 * @property {number[]} lineMap markdown line of each line of `source`
 * @property {string} [skip] why it is not checked
 * @property {boolean} run
 */

/**
 * The TypeScript blocks of one markdown file with their directives.
 * @returns {Snippet[]}
 */
export function extractSnippets(markdown, file) {
  const lines = markdown.split('\n')
  /** @type {Snippet[]} */
  const snippets = []
  /** @type {{ kind: string, text: string, line: number }[]} */
  let pending = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const trimmed = line.trim()
    if (trimmed.startsWith('<!--') && /^<!--\s*snippet:/.test(trimmed)) {
      // A directive, possibly over several lines (a context block).
      let text = trimmed
      const start = i
      while (!text.endsWith('-->') && i + 1 < lines.length) text += `\n${lines[++i]}`
      const match = DIRECTIVE.exec(text)
      if (!match) throw new Error(`${file}:${start + 1}: unknown snippet directive ${text.split('\n')[0]}`)
      pending.push({ kind: match[1], text: match[2], line: start + 1 })
      continue
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(line)
    if (!fence) {
      if (trimmed && pending.length > 0) {
        throw new Error(`${file}:${pending[0].line}: snippet directive not followed by a ts block`)
      }
      continue
    }
    const [, indent, marker, language] = fence
    const body = []
    const start = i
    while (++i < lines.length && lines[i].trim() !== marker) {
      body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i])
    }
    if (language !== 'ts' && language !== 'typescript') {
      if (pending.length > 0)
        throw new Error(`${file}:${pending[0].line}: snippet directive before a ${language || 'plain'} block`)
      continue
    }
    const source = []
    const lineMap = []
    for (const directive of pending.filter((d) => d.kind === 'context')) {
      directive.text
        .replace(/^[ \t]*\n/, '')
        .split('\n')
        .forEach((text, n) => {
          source.push(text)
          lineMap.push(directive.line + 1 + n)
        })
    }
    body.forEach((text, n) => {
      source.push(text)
      lineMap.push(start + 2 + n)
    })
    const skip = pending.find((d) => d.kind === 'skip')
    snippets.push({
      file,
      line: start + 1,
      source: `${source.join('\n')}\n`,
      lineMap,
      ...(skip ? { skip: skip.text.trim() || 'no reason given' } : {}),
      run: pending.some((d) => d.kind === 'run'),
    })
    pending = []
  }
  if (pending.length > 0)
    throw new Error(`${file}:${pending[0].line}: snippet directive not followed by a ts block`)
  return snippets
}

/** docs/**\/*.md and packages/*\/README.md, relative to the root. */
async function markdownFiles(root) {
  const files = []
  async function walk(dir) {
    for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`
      if (entry.isDirectory()) await walk(path)
      else if (entry.name.endsWith('.md')) files.push(path)
    }
  }
  await walk('docs')
  for (const pkg of await readdir(join(root, 'packages'))) {
    if (existsSync(join(root, 'packages', pkg, 'README.md'))) files.push(`packages/${pkg}/README.md`)
  }
  return files.sort()
}

const slug = (snippet) => `${snippet.file.replace(/\.md$/, '').replace(/[^\w]+/g, '-')}-L${snippet.line}`

/**
 * Type-checks every snippet in the docs project at `dir` (already installed) and runs the
 * runnable ones. Resolves with one row per markdown file with snippets, per skipped snippet and
 * per run.
 *
 * @param {{ root: string, dir: string, redisUrl?: string }} options
 * @returns {Promise<{ step: string, ok: boolean, skipped?: boolean, detail?: string, ms?: number }[]>}
 */
export async function checkSnippets({ root, dir, redisUrl }) {
  const rows = []
  /** @type {Snippet[]} */
  const snippets = []
  for (const file of await markdownFiles(root)) {
    try {
      snippets.push(...extractSnippets(await readFile(join(root, file), 'utf8'), file))
    } catch (error) {
      rows.push({ step: `snippets of ${file}`, ok: false, detail: error.message })
    }
  }
  const checked = snippets.filter((snippet) => !snippet.skip)
  for (const snippet of snippets.filter((s) => s.skip)) {
    rows.push({ step: `skip ${snippet.file}:${snippet.line}`, ok: true, skipped: true, detail: snippet.skip })
  }
  // A fresh set each run (--keep reuses the project): no snippet of an earlier run is compiled.
  for (const base of ['src', 'dist', 'runs'])
    await rm(join(dir, base, 'snippets'), { recursive: true, force: true })
  for (const snippet of checked) {
    await writeSource(dir, `snippets/${slug(snippet)}.ts`, snippet.source, 'module')
  }
  const tsconfig = await writeTsconfig(dir, 'snippets', { decorators: true })

  const started = Date.now()
  const diagnostics = await compile(dir, tsconfig)
  const byFile = new Map()
  for (const diagnostic of diagnostics) {
    const snippet = checked.find((s) => diagnostic.file === `src/snippets/${slug(s)}.ts`)
    const where = snippet
      ? `${snippet.file}:${snippet.lineMap[diagnostic.line - 1] ?? snippet.line}:${diagnostic.column}`
      : `${diagnostic.file}(${diagnostic.line},${diagnostic.column})`
    const key = snippet?.file ?? 'other'
    byFile.set(key, [...(byFile.get(key) ?? []), `${where}: ${diagnostic.message}`])
  }
  const ms = Date.now() - started
  for (const file of [...new Set(checked.map((s) => s.file))]) {
    const count = checked.filter((s) => s.file === file).length
    const problems = byFile.get(file)
    rows.push({
      step: `typecheck ${file} (${count} block${count === 1 ? '' : 's'})`,
      ok: !problems,
      detail: problems?.join('\n'),
    })
  }
  if (byFile.has('other'))
    rows.push({
      step: 'typecheck (outside the snippets)',
      ok: false,
      detail: byFile.get('other').join('\n'),
      ms,
    })

  for (const snippet of checked.filter((s) => s.run)) {
    const name = `run ${snippet.file}:${snippet.line}`
    if (!redisUrl && snippet.source.includes('REDIS_URL')) {
      rows.push({
        step: name,
        ok: true,
        skipped: true,
        detail: 'needs Redis; no redis-server on this machine',
      })
      continue
    }
    // Each in its own empty folder: snippets may write files (a SQLite cache, a snapshot).
    const cwd = join(dir, 'runs', 'snippets', slug(snippet))
    await mkdir(cwd, { recursive: true })
    const entry = join(dir, 'dist', 'snippets', `${slug(snippet)}.js`)
    const begun = Date.now()
    const env = { ...process.env, REDIS_URL: redisUrl ?? '', NODE_PATH: '' }
    const result = await run(process.execPath, [entry], { cwd, env, timeoutMs: RUN_TIMEOUT_MS }).then(
      () => ({ ok: true }),
      (error) => ({ ok: false, detail: error.message.replace(entry, relative(dir, entry)) }),
    )
    rows.push({ step: name, ...result, ms: Date.now() - begun })
  }
  return rows
}
