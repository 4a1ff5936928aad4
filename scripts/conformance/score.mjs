// Counts a result set the way the suite's own `determineTestResult` (lib/display.mjs) does:
// a required test passes on `pass`, an optimal one on `pass`; dependencies are honoured, so a
// test whose dependency failed counts as failed.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

/** Loads the suite's test list (as its cli.mjs builds it) and its result counter. */
export async function loadSuite(suiteDir) {
  const url = (file) => pathToFileURL(path.join(suiteDir, file)).href
  const tests = [...(await import(url('tests/index.mjs'))).default]
  tests.push((await import(url('tests/surrogate-control.mjs'))).default)
  const display = await import(url('lib/display.mjs'))
  const index = (await import(url('results/index.mjs'))).default
  return { tests, display, index }
}

/** Required and optimal tests passed, and the tests that did not pass, for one result set. */
export function score(suite, results) {
  const out = { required: 0, requiredTotal: 0, optimal: 0, optimalTotal: 0, failed: [] }
  for (const set of suite.tests) {
    for (const test of set.tests) {
      if (test.browser_only) continue
      const kind = test.kind ?? 'required'
      if (kind !== 'required' && kind !== 'optimal') continue
      const symbol = suite.display.determineTestResult(suite.tests, test.id, results)[2]
      const passed = symbol === '✅'
      if (kind === 'required') {
        out.requiredTotal++
        if (passed) out.required++
      } else {
        out.optimalTotal++
        if (passed) out.optimal++
      }
      if (!passed)
        out.failed.push({ id: test.id, kind, symbol, name: test.name, detail: detail(results[test.id]) })
    }
  }
  return out
}

function detail(result) {
  if (result === undefined) return 'not run'
  if (result === true) return 'a dependency failed'
  return Array.isArray(result) ? result.slice(0, 2).join(': ') : String(result)
}

/** Every published result set of the suite, with its display name. */
export async function publishedResults(suiteDir, index) {
  const files = new Set(await readdir(path.join(suiteDir, 'results')))
  const sets = []
  for (const item of index) {
    if (!files.has(item.file)) continue
    const results = JSON.parse(await readFile(path.join(suiteDir, 'results', item.file), 'utf8'))
    sets.push({ name: `${item.name}${item.version ? ` ${item.version}` : ''}`, type: item.type, results })
  }
  return sets
}
