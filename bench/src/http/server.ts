import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'

// One benchmark server in its own process, so the load generator does not share its event loop.
// Reports its port, then answers `cpu` messages with its CPU time so far (µs).
const variant = process.argv[2] ?? ''
const send = (msg: unknown) => process.send?.(msg)

async function listen(): Promise<number> {
  if (variant.startsWith('express-')) {
    const { expressApp } = await import('./express-variants.js')
    const app = expressApp(variant)
    return new Promise((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port))
    })
  }
  if (variant.startsWith('fastify-')) {
    const { fastifyApp } = await import('./fastify-variants.js')
    const app = await fastifyApp(variant)
    await app.listen({ port: 0, host: '127.0.0.1' })
    return (app.server.address() as { port: number }).port
  }
  const { nestApp } = await import('./nest-variants.js')
  const app = await nestApp(variant)
  await app.listen(0, '127.0.0.1')
  return (app.getHttpServer().address() as { port: number }).port
}

// CPU profiling of a window of the load only (not start-up): `profile-start`, then `profile-stop`
// with a file to write the profile to (see profile-miss.ts).
const profiler = new Session()
process.on('message', async (msg: { op: string; file?: string }) => {
  if (msg.op === 'profile-start') {
    profiler.connect()
    await profiler.post('Profiler.enable')
    await profiler.post('Profiler.setSamplingInterval', { interval: 200 })
    await profiler.post('Profiler.start')
    send({ op: 'profile-started' })
  }
  if (msg.op === 'profile-stop') {
    const { profile } = await profiler.post('Profiler.stop')
    await writeFile(msg.file!, JSON.stringify(profile))
    profiler.disconnect()
    send({ op: 'profile-written' })
  }
  if (msg.op === 'cpu') {
    const u = process.cpuUsage()
    send({ op: 'cpu', micros: u.user + u.system })
  }
})
listen().then(
  (port) => send({ op: 'ready', port }),
  (error) => {
    send({ op: 'error', message: String(error?.stack ?? error) })
    process.exit(1)
  },
)
