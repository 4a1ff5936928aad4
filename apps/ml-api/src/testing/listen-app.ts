import type { FastifyInstance } from 'fastify'
import { type BuildAppOptions, buildApp } from '../app.js'

/** An app listening on a real socket. */
export interface ListeningApp {
  app: FastifyInstance
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
}

/** Builds the app and listens on a free port of 127.0.0.1 (close it with `app.close()`). */
export async function listenApp(options: BuildAppOptions): Promise<ListeningApp> {
  const app = await buildApp(options)
  try {
    await app.listen({ port: 0, host: '127.0.0.1' })
  } catch (error) {
    await app.close()
    throw error
  }
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP address')
  return { app, url: `http://127.0.0.1:${address.port}`, port: address.port }
}
