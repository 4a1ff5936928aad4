// Runs some of the suite's tests (and the tests they depend on) and prints the results as JSON,
// as the suite's own cli.mjs does for all of them. Copied next to the suite's install, so that
// its imports resolve there: node driver.mjs <suite dir> <base url> <id,id,...>
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import fetch from 'node-fetch'

const [suiteDir, base, list] = process.argv.slice(2)
const url = (file) => pathToFileURL(path.join(suiteDir, file)).href
const { runTests, getResults } = await import(url('client/runner.mjs'))
const suites = [...(await import(url('tests/index.mjs'))).default]
suites.push((await import(url('tests/surrogate-control.mjs'))).default)

const byId = new Map(suites.flatMap((s) => s.tests.map((t) => [t.id, t])))
const wanted = new Set()
const add = (id) => {
  const test = byId.get(id)
  if (test === undefined) throw new Error(`no test ${id} in the suite`)
  if (wanted.has(id)) return
  wanted.add(id)
  for (const dep of test.depends_on ?? []) add(dep)
}
for (const id of list.split(',')) add(id)
const selected = suites
  .map((s) => ({ ...s, tests: s.tests.filter((t) => wanted.has(t.id)) }))
  .filter((s) => s.tests.length > 0)
await runTests(selected, fetch, false, base)
console.log(JSON.stringify(getResults(), null, 2))
