import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the test upstream saw of one request. */
export interface SeenRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
}

/** A real HTTP upstream on 127.0.0.1 whose answers a test sets per path, recording every request. */
export interface TestUpstream {
  readonly url: string
  readonly seen: SeenRequest[]
  /** Requests seen for `path`. */
  count(path: string): number
  close(): Promise<void>
}

/** Starts the upstream; `handle` answers every request. */
export async function startUpstream(
  handle: (req: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<TestUpstream> {
  const seen: SeenRequest[] = []
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers })
    handle(req, res, seen.filter((s) => s.url === req.url).length)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    count: (path) => seen.filter((s) => s.url === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Listens on a free loopback port and gives the base URL. */
export async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}
