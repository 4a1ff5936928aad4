import type { ServerResponse } from 'node:http'
import type { HttpCache } from '@cache/core/http'
import { type AdapterConformanceFactory, httpRequests } from '@cache/test-utils'
import { Controller, Module, Req, RequestMapping, RequestMethod, Res, StreamableFile } from '@nestjs/common'
import {
  CacheResponse,
  HTTP_RESPONSE_CACHE,
  ResponseCacheModule,
  type ResponseCacheModuleOptions,
} from '../src/index.js'
import { type Platform, startApp } from './start-app.js'

interface PlatformReply {
  status(code: number): unknown
  header(name: string, value: string): unknown
}

/**
 * The conformance suite's routes on Nest on `platform` (test helper, not part of the package): one
 * controller method per route, `@CacheResponse` on those the cache serves, Nest writing what the
 * method returns.
 */
export const nestConformanceApp =
  (platform: Platform): AdapterConformanceFactory =>
  async ({ routes, options, beforeCache }) => {
    class ConformanceController {}
    const proto = ConformanceController.prototype as unknown as Record<string, unknown>
    for (const [i, route] of routes.entries()) {
      const name = `route${i}`
      proto[name] = async (req: never, res: PlatformReply) => {
        const reply = await route.handler(req)
        // Nest answers a POST with 201 unless told otherwise.
        res.status(reply.status ?? 200)
        for (const [header, value] of Object.entries(reply.headers ?? {})) res.header(header, value)
        // Nest's Express adapter sends a Buffer as JSON: bytes go out as a file (never stored).
        const bytes = platform === 'express' && Buffer.isBuffer(reply.body)
        return bytes ? new StreamableFile(reply.body as Buffer) : reply.body
      }
      const descriptor = Object.getOwnPropertyDescriptor(proto, name)!
      Req()(proto, name, 0)
      Res({ passthrough: true })(proto, name, 1)
      RequestMapping({ path: route.path, method: RequestMethod[route.method] })(proto, name, descriptor)
      if (route.cache !== false) CacheResponse(route.cache as never)(proto, name, descriptor)
    }
    Controller()(ConformanceController)
    @Module({
      imports: [ResponseCacheModule.forRoot(options as ResponseCacheModuleOptions)],
      controllers: [ConformanceController],
    })
    class ConformanceModule {}
    const t = await startApp(platform, ConformanceModule, (app) => {
      app.use((_req: unknown, res: ServerResponse, next: () => void) => {
        beforeCache((name, value) => res.setHeader(name, value))
        next()
      })
    })
    return {
      request: httpRequests(t.url),
      invalidate: (what) => t.app.get<HttpCache>(HTTP_RESPONSE_CACHE).invalidate(what),
      close: async () => {
        await t.close()
        // Nest logs the errors the suite's handlers throw, and nothing else ("already sent"...).
        const unexpected = t.logged.filter((line) => !line.includes('Error: conformance: '))
        if (unexpected.length > 0) throw new Error(`Nest logged: ${unexpected.join('\n')}`)
      },
    }
  }
