import type { INestApplication, LoggerService } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { ExpressAdapter } from '@nestjs/platform-express'
import { FastifyAdapter } from '@nestjs/platform-fastify'

export type Platform = 'express' | 'fastify'
export const PLATFORMS: readonly Platform[] = ['express', 'fastify']

/** A test app on 127.0.0.1 (a free port), with what Nest and Fastify logged at warn level or above. */
export interface TestApp {
  app: INestApplication
  url: string
  /** Nest warnings and errors, and Fastify log lines at warn level or above. */
  logged: string[]
  close(): Promise<void>
}

/** Starts `module` on `platform` (test helper, not part of the package). */
export async function startApp(
  platform: Platform,
  module: unknown,
  configure?: (app: INestApplication) => void,
): Promise<TestApp> {
  const logged: string[] = []
  const record = (level: string) => (message: unknown) => logged.push(`${level}: ${String(message)}`)
  const logger: LoggerService = { log() {}, warn: record('warn'), error: record('error') }
  const adapter =
    platform === 'fastify'
      ? new FastifyAdapter({
          logger: { level: 'warn', stream: { write: (line: string) => logged.push(line) } },
        })
      : new ExpressAdapter()
  const app = await NestFactory.create(module as never, adapter, {
    logger,
    forceCloseConnections: true,
    abortOnError: false,
  })
  configure?.(app)
  await app.listen(0, '127.0.0.1')
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1')
  return { app, url, logged, close: () => app.close() }
}

/** Sends one request and reads the whole response. */
export async function call(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init)
  const bytes = Buffer.from(await res.arrayBuffer())
  return {
    status: res.status,
    headers: res.headers,
    bytes,
    xCache: res.headers.get('x-cache'),
    text: bytes.toString('utf8'),
    json: <T = Record<string, unknown>>() => JSON.parse(bytes.toString('utf8')) as T,
  }
}
