import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { httpRequests } from './conformance-response.js'
import type { AdapterConformanceFactory, ConformanceRoute } from './types.js'

/** `route`'s params when `path` matches it (`/items/:id`), else `undefined`. */
function match(route: ConformanceRoute, method: string, path: string): Record<string, string> | undefined {
  const get = method === 'HEAD' ? 'GET' : method
  const want = route.path.split('/')
  const got = path.split('/')
  if (route.method !== get || want.length !== got.length) return undefined
  const params: Record<string, string> = {}
  for (const [i, part] of want.entries()) {
    if (part.startsWith(':')) params[part.slice(1)] = got[i] ?? ''
    else if (part !== got[i]) return undefined
  }
  return params
}

/**
 * The routes served without any cache: what an adapter that does nothing looks like. Every
 * scenario must fail on it, or it could not catch an adapter that skips the cache.
 */
export const uncachedApp: AdapterConformanceFactory = async ({ routes, beforeCache }) => {
  const server = createServer(async (req, res) => {
    beforeCache((name, value) => res.setHeader(name, value))
    const url = new URL(req.url ?? '/', 'http://x')
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString()
    for (const route of routes) {
      const params = match(route, req.method ?? 'GET', url.pathname)
      if (params === undefined) continue
      const query = Object.fromEntries(url.searchParams)
      const body = text ? JSON.parse(text) : undefined
      try {
        const reply = await route.handler({
          method: req.method!,
          url: req.url!,
          params,
          query,
          headers: req.headers,
          body,
        })
        const json =
          typeof reply.body !== 'string' && !Buffer.isBuffer(reply.body) && reply.body !== undefined
        res.writeHead(reply.status ?? 200, {
          ...(json ? { 'content-type': 'application/json' } : {}),
          ...reply.headers,
        })
        res.end(json ? JSON.stringify(reply.body) : reply.body)
      } catch {
        res.writeHead(500).end()
      }
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    request: httpRequests(`http://127.0.0.1:${port}`),
    invalidate: async () => {},
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
