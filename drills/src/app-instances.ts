import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { findFreePort, LOOPBACK } from '@cache/test-utils/redis'

/** The example apps a drill can run. */
export const APPS = {
  express: '@cache/example-express',
  fastify: '@cache/example-fastify',
  nestjs: '@cache/example-nestjs',
} as const

/** Name of an example app. */
export type AppName = keyof typeof APPS

interface Instance {
  child: ChildProcess
  output: string
  exited: Promise<void>
}

const running = new Set<ChildProcess>()
// An operator's Ctrl-C or a failed drill must not leave app processes behind: only ours, by PID.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * Running instances of one example app (`node <app>/dist/main.js`), each on a free port with
 * `REDIS_URL` set, so they share Redis as L2 and invalidation bus.
 */
export class AppInstances {
  readonly baseUrls: string[] = []
  readonly #instances: Instance[] = []

  private constructor() {}

  /** Starts `count` instances of `app` on `redisUrl` and resolves once each answers on Redis. */
  static async start(app: AppName, redisUrl: string, count: number): Promise<AppInstances> {
    const entry = join(
      dirname(createRequire(import.meta.url).resolve(`${APPS[app]}/package.json`)),
      'dist/main.js',
    )
    const apps = new AppInstances()
    try {
      for (let i = 0; i < count; i++) await apps.#spawn(entry, redisUrl)
    } catch (error) {
      await apps.stop()
      throw error
    }
    return apps
  }

  /** A message naming each instance that exited, with its last output; `undefined` while all run. */
  crashed(): string | undefined {
    const dead = this.#instances
      .map((instance, i) => ({ instance, i }))
      .filter(({ instance }) => !running.has(instance.child))
    if (dead.length === 0) return undefined
    return dead
      .map(({ instance, i }) => {
        const how = instance.child.exitCode ?? instance.child.signalCode
        return `instance ${i} (${this.baseUrls[i]}) exited (${how}):\n${instance.output}`
      })
      .join('\n')
  }

  /** The last output of every instance (for a failed drill's report). */
  output(): string {
    return this.#instances.map((instance, i) => `--- instance ${i}\n${instance.output}`).join('\n')
  }

  /** SIGTERM to each instance by PID, SIGKILL after 5 s; resolves once all exited. */
  async stop(): Promise<void> {
    await Promise.all(
      this.#instances.map(async ({ child, exited }) => {
        if (!running.has(child)) return
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }),
    )
  }

  async #spawn(entry: string, redisUrl: string): Promise<void> {
    const port = await findFreePort()
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: LOOPBACK, REDIS_URL: redisUrl }
    // The server is private: no key prefix from the caller's environment.
    delete env.REDIS_KEY_PREFIX
    const child = spawn(process.execPath, [entry], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    running.add(child)
    const instance: Instance = {
      child,
      output: '',
      exited: new Promise((resolve) =>
        child.once('exit', () => {
          running.delete(child)
          resolve()
        }),
      ),
    }
    const append = (chunk: Buffer) => {
      instance.output = (instance.output + chunk.toString('utf8')).slice(-8192)
    }
    child.stdout?.on('data', append)
    child.stderr?.on('data', append)
    this.#instances.push(instance)
    const url = `http://${LOOPBACK}:${port}`
    await waitReady(url, instance)
    this.baseUrls.push(url)
  }
}

/** Polls `/__calls` until it answers and the app said it runs on Redis; fails with the app's output. */
async function waitReady(url: string, instance: Instance, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (!running.has(instance.child)) throw new Error(`app exited during startup:\n${instance.output}`)
    try {
      const res = await fetch(`${url}/__calls`, { signal: AbortSignal.timeout(1000) })
      await res.arrayBuffer()
      // Every example prints "(redis)" in its listening line when REDIS_URL took effect.
      if (res.ok && instance.output.includes('(redis)')) return
    } catch {
      // Not listening yet.
    }
    await sleep(100)
  }
  throw new Error(`app not ready on Redis at ${url} after ${timeoutMs} ms:\n${instance.output}`)
}
