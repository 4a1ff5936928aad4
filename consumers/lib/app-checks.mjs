// Runs one built consumer app in a child process and checks it over a real socket on 127.0.0.1:
// MISS then HIT, a request with credentials bypassing a shared route, per-user entries, a PUT and
// a tag invalidation each making the next GET a MISS, and a clean exit once the app has closed.
import { spawn } from 'node:child_process'
import { isDeepStrictEqual } from 'node:util'

/** How long the app may take to start listening (Nest on a busy 2-core machine is the slow one). */
const STARTUP_MS = 30_000
/** How long after SIGTERM the app must have closed and exited by itself. */
const EXIT_MS = 5_000

/**
 * @typedef {{ name: string, ok: boolean, detail?: string }} CheckResult
 * @typedef {{ status: number, xCache: string | null, age: string | null, text: string, body: any }} Reply
 */

/** Starts `node entry`, resolves with the child and its port once it printed `LISTENING <port>`. */
function start(entry, env, cwd) {
  const child = spawn(process.execPath, [entry], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const out = { stdout: '', stderr: '' }
  child.stdout.on('data', (chunk) => (out.stdout += chunk))
  child.stderr.on('data', (chunk) => (out.stderr += chunk))
  // 'close', not 'exit': the output is complete only once stdout and stderr have ended.
  const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal })))
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening after ${STARTUP_MS} ms`)), STARTUP_MS)
    const onData = () => {
      const port = /LISTENING (\d+)/.exec(out.stdout)?.[1]
      if (port) {
        clearTimeout(timer)
        child.stdout.off('data', onData)
        resolve(Number(port))
      }
    }
    child.stdout.on('data', onData)
    exited.then(({ code, signal }) => {
      clearTimeout(timer)
      reject(new Error(`exited during startup (${code ?? signal})`))
    })
  })
  return { child, out, exited, listening }
}

/** One request; keep-alive, as real clients do (a clean close must cope with idle connections). */
async function request(base, method, path, headers = {}) {
  const res = await fetch(base + path, { method, headers, signal: AbortSignal.timeout(10_000) })
  const text = await res.text()
  let body
  try {
    body = JSON.parse(text)
  } catch {
    body = text
  }
  return { status: res.status, xCache: res.headers.get('x-cache'), age: res.headers.get('age'), text, body }
}

class CheckFailure extends Error {}

/** @param {Reply} reply */
function expectReply(reply, what, { status = 200, xCache, body }) {
  const problems = []
  if (reply.status !== status) problems.push(`status ${reply.status}, expected ${status}`)
  if (xCache !== undefined && reply.xCache !== xCache)
    problems.push(`x-cache ${reply.xCache}, expected ${xCache}`)
  if (body !== undefined && !isDeepStrictEqual(reply.body, body)) {
    problems.push(`body ${reply.text}, expected ${JSON.stringify(body)}`)
  }
  if (problems.length > 0) throw new CheckFailure(`${what}: ${problems.join('; ')}`)
}

const alice = { authorization: 'Bearer alice' }
const bob = { authorization: 'Bearer bob' }

/** GETs `path` twice: a MISS whose body `expected` describes, then a HIT with the same body. */
async function missThenHit(base, path, headers = {}, expected = (body) => body) {
  const miss = await request(base, 'GET', path, headers)
  const who = headers.authorization ? `${headers.authorization.slice(7)} ` : ''
  expectReply(miss, `${who}GET ${path}`, { xCache: 'MISS', body: expected(miss.body) })
  const hit = await request(base, 'GET', path, headers)
  expectReply(hit, `${who}GET ${path} again`, { xCache: 'HIT', body: miss.body })
  if (hit.age === null) throw new CheckFailure(`${who}GET ${path} again: no age header on a HIT`)
  return miss
}

/** A mutation that must succeed (2xx). */
async function mutate(base, method, path) {
  const reply = await request(base, method, path)
  if (reply.status < 200 || reply.status > 299)
    throw new CheckFailure(`${method} ${path}: status ${reply.status}`)
}

const item = (id, version) => (body) => ({ id, version, calls: body?.calls })

/** The behaviour checks, each on its own item so that one failing leaves the others meaningful. */
const checks = {
  async 'MISS then HIT'(base) {
    await missThenHit(base, '/items/1', {}, item('1', 1))
  },

  async 'credentials bypass a shared route'(base) {
    const stored = await missThenHit(base, '/items/2')
    const personal = await request(base, 'GET', '/items/2', alice)
    expectReply(personal, 'GET /items/2 with Authorization', { xCache: 'BYPASS' })
    if (personal.body?.calls === stored.body?.calls) {
      throw new CheckFailure('GET /items/2 with Authorization was answered from the shared entry')
    }
    const after = await request(base, 'GET', '/items/2')
    expectReply(after, 'GET /items/2 after the bypass', { xCache: 'HIT', body: stored.body })
  },

  async 'per-user entries are not shared'(base) {
    await missThenHit(base, '/me', alice, (body) => ({ user: 'alice', calls: body?.calls }))
    await missThenHit(base, '/me', bob, (body) => ({ user: 'bob', calls: body?.calls }))
  },

  async 'a PUT makes the next GET a MISS'(base) {
    await missThenHit(base, '/items/3')
    await mutate(base, 'PUT', '/items/3')
    await missThenHit(base, '/items/3', {}, item('3', 2))
  },

  async 'a tag invalidation makes the next GET a MISS'(base) {
    const stored = await missThenHit(base, '/items/4')
    await mutate(base, 'POST', '/invalidate/4')
    const after = await missThenHit(base, '/items/4')
    if (after.body?.calls === stored.body?.calls)
      throw new CheckFailure('GET /items/4: handler did not run again')
  },
}

/**
 * With Redis, waits (up to 5 s) until a stored response is served as a HIT: the cache drops its
 * L1 when the invalidation bus connects (it may have missed another process's invalidation while
 * it was down), and that first connection can come after the app listens, so a response stored
 * before it is gone again. The checks start once the app is settled; when it never is, they say so.
 */
async function warmUp(base) {
  const deadline = Date.now() + 5_000
  while (Date.now() < deadline) {
    const reply = await request(base, 'GET', '/items/0').catch(() => undefined)
    if (reply?.xCache === 'HIT') return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * Runs the app and every check, then closes it (SIGTERM: the app calls its own close) and waits
 * for the process to exit by itself.
 *
 * @param {{ entry: string, cwd: string, env: Record<string, string | undefined> }} options
 * @returns {Promise<CheckResult[]>}
 */
export async function checkApp({ entry, cwd, env }) {
  const childEnv = { ...process.env }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name]
    else childEnv[name] = value
  }
  const app = start(entry, childEnv, cwd)
  /** @type {CheckResult[]} */
  const results = []
  const output = () =>
    [app.out.stderr.trim(), app.out.stdout.replace(/^(LISTENING \d+|CLOSED)\n/gm, '').trim()]
      .filter(Boolean)
      .join('\n')
  let port
  try {
    port = await app.listening
  } catch (error) {
    app.child.kill('SIGKILL')
    await app.exited
    return [{ name: 'start', ok: false, detail: `${error.message}\n${output()}` }]
  }
  const base = `http://127.0.0.1:${port}`
  if (env.REDIS_URL) await warmUp(base)
  for (const [name, check] of Object.entries(checks)) {
    try {
      await check(base)
      results.push({ name, ok: true })
    } catch (error) {
      results.push({ name, ok: false, detail: error instanceof CheckFailure ? error.message : String(error) })
    }
  }

  app.child.kill('SIGTERM')
  const exit = await Promise.race([
    app.exited,
    new Promise((resolve) => setTimeout(() => resolve(null), EXIT_MS)),
  ])
  if (exit === null) {
    app.child.kill('SIGKILL')
    await app.exited
    const closed = app.out.stdout.includes('CLOSED')
    results.push({
      name: 'clean exit on close',
      ok: false,
      detail: `${closed ? 'close() resolved but the process' : 'close() did not resolve and the process'} did not exit within ${EXIT_MS / 1000} s\n${output()}`,
    })
  } else if (exit.code !== 0 || !app.out.stdout.includes('CLOSED')) {
    results.push({
      name: 'clean exit on close',
      ok: false,
      detail: `exit ${exit.code ?? exit.signal}\n${output()}`,
    })
  } else {
    results.push({ name: 'clean exit on close', ok: true })
  }
  return results
}
