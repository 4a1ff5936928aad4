import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const WORKER = fileURLToPath(new URL('./fixtures/cache-worker.mjs', import.meta.url))

/** A cache in a child process, driven over IPC. */
export interface CacheWorker {
  readonly pid: number
  call<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>
  /** SIGKILL: a crash. */
  kill(): void
  stop(): Promise<void>
}

/**
 * `execArgv` without `--conditions @cache/source`: vitest runs its workers with the conditions of
 * the test config (the workspace's source condition among them), and `fork` passes them on, but
 * the worker is plain Node loading the built package, as an app does.
 */
function withoutSourceCondition(execArgv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < execArgv.length; i++) {
    if (execArgv[i] === '--conditions' && execArgv[i + 1] === '@cache/source') i++
    else if (execArgv[i] !== '--conditions=@cache/source' && execArgv[i] !== '-C=@cache/source')
      out.push(execArgv[i]!)
  }
  return out
}

/** Spawns a Node process holding a cache on `redisUrl` under `namespace`. */
export async function spawnCacheWorker(env: Record<string, string>): Promise<CacheWorker> {
  const child: ChildProcess = fork(WORKER, [], {
    env: { ...process.env, ...env },
    execArgv: withoutSourceCondition(process.execArgv),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let next = 1
  const started = new Promise<void>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)))
    child.on('message', (msg: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      if (msg.id === 0) return resolve()
      const p = pending.get(msg.id)
      if (!p) return
      pending.delete(msg.id)
      if (msg.ok) p.resolve(msg.value)
      else p.reject(new Error(msg.error))
    })
  })
  await started
  child.removeAllListeners('exit')
  child.on('exit', () => {
    for (const p of pending.values()) p.reject(new Error('worker exited'))
    pending.clear()
  })
  return {
    pid: child.pid!,
    call<T>(op: string, args: Record<string, unknown> = {}) {
      const id = next++
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
        child.send({ id, op, ...args })
      })
    },
    kill() {
      child.kill('SIGKILL')
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    },
  }
}

/**
 * Polls `check` until it returns true or `ms` passes (generous: every check is a round trip to
 * a child process, and the machine may be busy).
 */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const until = Date.now() + ms
  for (;;) {
    if (await check()) return
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}
