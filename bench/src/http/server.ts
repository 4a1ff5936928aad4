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

process.on('message', (msg: { op: string }) => {
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
