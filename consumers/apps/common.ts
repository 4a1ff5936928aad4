// What the three HTTP consumer apps share: their cache and state, how they tell the runner their
// port, and how they shut down. Compiled twice, next to each app: as ESM and as CommonJS.
import { type Cache, type CacheOptions, createCache } from '@cache/core'
import { RedisStore } from '@cache/core/redis'

/**
 * The options of the app's cache: memory only, or memory + Redis (L2 and invalidation bus) when
 * `REDIS_URL` is set. `CONSUMER_NAMESPACE` keeps apps that run at the same time on one Redis
 * apart. The Fastify plugin and the Nest module take these and own the cache they create (and
 * close it with the app).
 */
export function cacheOptions(): CacheOptions {
  const url = process.env.REDIS_URL
  return {
    namespace: process.env.CONSUMER_NAMESPACE ?? 'consumer',
    store: url ? new RedisStore({ url }) : undefined,
  }
}

/** A cache of {@link cacheOptions}, for the app to close itself (Express). */
export function appCache(): Cache {
  return createCache(cacheOptions())
}

/** The user of `Authorization: Bearer <user>`, if any. */
export function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7) || undefined : undefined
}

/** Handler invocations per route and item versions, in this process. */
export class AppState {
  readonly calls: Record<string, number> = {}
  readonly versions = new Map<string, number>()

  /** Counts one invocation of `route`'s handler; returns the count so far. */
  count(route: string): number {
    this.calls[route] = (this.calls[route] ?? 0) + 1
    return this.calls[route]
  }

  /** The item's body: a HIT repeats an earlier one, `calls` included. */
  item(id: string): { id: string; version: number; calls: number } {
    return { id, version: this.versions.get(id) ?? 1, calls: this.count('items') }
  }

  /** Bumps the item's version (what a PUT does). */
  update(id: string): { id: string; version: number } {
    const version = (this.versions.get(id) ?? 1) + 1
    this.versions.set(id, version)
    return { id, version }
  }
}

/** Tells the runner where to connect. */
export function announce(port: number): void {
  process.stdout.write(`LISTENING ${port}\n`)
}

/** The port a listening Node server is bound to. */
export function portOf(server: { address(): unknown }): number {
  const address = server.address()
  if (typeof address !== 'object' || address === null || !('port' in address)) {
    throw new Error(`not listening on a TCP port: ${String(address)}`)
  }
  return Number(address.port)
}

/**
 * On SIGTERM, runs the app's own shutdown (`app.close()`, or `server.close()` + `cache.close()`)
 * and then lets the process end by itself: no `process.exit()`, so anything the packages leave
 * open (a socket, a timer) keeps it alive and the runner reports it.
 */
export function closeOnSigterm(close: () => Promise<void>): void {
  process.once('SIGTERM', () => {
    close().then(
      () => {
        process.stdout.write('CLOSED\n')
        // Diagnostics only: unref'd, so it never keeps the process alive itself.
        const report = () => {
          // stdio pipes are the runner's, never what keeps the process alive.
          const active = process.getActiveResourcesInfo().filter((name) => !/^(TTY|Pipe)Wrap$/.test(name))
          process.stderr.write(`still running 2 s after close: ${active.join(', ')}\n`)
        }
        setTimeout(report, 2000).unref()
      },
      (error: unknown) => {
        process.stderr.write(`close failed: ${error instanceof Error ? error.stack : String(error)}\n`)
        process.exitCode = 1
      },
    )
  })
}
