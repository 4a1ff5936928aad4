// Entry point of `npm start`: reads the environment, loads the models, listens.
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'

let app: FastifyInstance | undefined
let closing = false

// Installed before anything else: a SIGTERM that arrives while the models load, or right after the
// "listening" line, must close the app cleanly rather than hit the default action (killed).
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (closing) return
    closing = true
    ;(app?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}

async function main(): Promise<void> {
  const config = loadConfig(process.env)
  const started = performance.now()
  app = await buildApp({ config, logger: config.logLevel !== 'silent' })
  if (closing) return void (await app.close())
  const url = await app.listen({ port: config.port, host: config.host })
  const { models, backend } = app.mlApi
  const loaded = models
    .all()
    .map((m) => `${m.id}@${m.version}`)
    .join(', ')
  // One plain line for humans and for tests that wait for the server (the port may be 0).
  console.log(
    `ML API listening on ${url} (cache: ${backend}; models: ${loaded}; ready in ${Math.round(performance.now() - started)} ms) — dashboard ${url}/, docs ${url}/docs`,
  )
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `configuration: ${error.message}` : error)
  process.exit(1)
})
