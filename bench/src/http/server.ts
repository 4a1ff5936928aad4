import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { captureHit } from './capture-hit.js'
import type { VariantSetup } from './setup.js'

// One benchmark server in its own process, so the load generator does not share its event loop.
// Reports its port, then answers `cpu` messages with its CPU time so far (µs).
const variant = process.argv[2] ?? ''
const send = (msg: unknown) => process.send?.(msg)

interface Listening {
  port: number
  close(): Promise<void>
}

async function listen(name: string, setup: VariantSetup): Promise<Listening> {
  if (name.startsWith('express-')) {
    const { expressApp } = await import('./express-variants.js')
    const app = expressApp(name, setup)
    const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s))
    })
    return {
      port: (server.address() as { port: number }).port,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    }
  }
  if (name.startsWith('fastify-')) {
    const { fastifyApp } = await import('./fastify-variants.js')
    const app = await fastifyApp(name, setup)
    await app.listen({ port: 0, host: '127.0.0.1' })
    return { port: (app.server.address() as { port: number }).port, close: () => app.close() }
  }
  const { nestApp } = await import('./nest-variants.js')
  const app = await nestApp(name, setup)
  await app.listen(0, '127.0.0.1')
  return { port: (app.getHttpServer().address() as { port: number }).port, close: () => app.close() }
}

async function start(): Promise<number> {
  const setup: VariantSetup = { redisUrl: process.env.BENCH_REDIS_URL }
  if (/-ours-(l2|redis)$/.test(variant)) {
    const { RedisStore } = await import('@cache/core/redis')
    setup.redisStore = (url) => new RedisStore({ url })
  }
  if (variant.endsWith('-limit')) {
    // The limit replays the bytes of one of our hits on the same framework, captured once here.
    const ours = await listen(variant.replace(/-limit$/, '-ours'), {})
    setup.hit = await captureHit(ours.port)
    await ours.close()
  }
  return (await listen(variant, setup)).port
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
start().then(
  (port) => send({ op: 'ready', port }),
  (error) => {
    send({ op: 'error', message: String(error?.stack ?? error) })
    process.exit(1)
  },
)
