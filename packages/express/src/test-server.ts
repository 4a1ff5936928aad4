import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Express } from 'express'

/** A test app listening on 127.0.0.1 (a free port), and how to stop it. */
export interface TestServer {
  /** `http://127.0.0.1:<port>`. */
  url: string
  /** Closes the server and every connection. */
  close(): Promise<void>
}

/** Starts `app` on 127.0.0.1:0 (test helper, not exported by the package). */
export function listen(app: Express): Promise<TestServer> {
  const server = createServer(app)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}
