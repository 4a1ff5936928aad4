import { createServer } from 'node:net'

/** Loopback address every harness server binds to. */
export const LOOPBACK = '127.0.0.1'

/**
 * Resolves to true when `port` can be bound on 127.0.0.1 right now. A probe, not a reservation:
 * another process may take the port before the caller binds it, so callers retry on EADDRINUSE.
 */
export function isPortFree(port: number, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

/**
 * A port that was free on 127.0.0.1 a moment ago: the kernel picks it (listen on port 0), then the
 * probe socket is closed so a child process can bind it. Retries when the probe itself fails with
 * EADDRINUSE (it can, under heavy parallel port churn).
 */
export async function findFreePort(host = LOOPBACK, attempts = 5): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await new Promise<number>((resolve, reject) => {
        const server = createServer()
        server.unref()
        server.once('error', reject)
        server.listen({ port: 0, host, exclusive: true }, () => {
          const address = server.address()
          const port = typeof address === 'object' && address ? address.port : 0
          server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))))
        })
      })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= attempts) throw error
    }
  }
}

/**
 * `count` distinct ports that are free on 127.0.0.1 together with `port + 10000` (the Redis
 * Cluster bus port). Picked at random below the Linux ephemeral range (32768+), so the kernel
 * does not hand them to outgoing connections while the cluster starts.
 */
export async function findFreeClusterPorts(count: number, host = LOOPBACK): Promise<number[]> {
  const ports: number[] = []
  for (let tries = 0; ports.length < count; tries++) {
    if (tries > 500) throw new Error(`no ${count} free cluster port pairs found on ${host}`)
    const port = 10_000 + Math.floor(Math.random() * 12_000)
    if (ports.includes(port) || ports.includes(port + 10_000) || ports.includes(port - 10_000)) continue
    if ((await isPortFree(port, host)) && (await isPortFree(port + 10_000, host))) ports.push(port)
  }
  return ports
}
