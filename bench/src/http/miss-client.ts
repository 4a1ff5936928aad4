import http from 'node:http'

/** Sequential misses on one keep-alive connection: each `miss()` requests a new URL. */
export function missClient(port: number): { miss(): Promise<void>; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  let n = 0
  const miss = () =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: `/item?i=${n++}-${Math.random()}`, agent }, (res) => {
          res.resume()
          res.on('end', resolve)
        })
        .on('error', reject)
    })
  return { miss, close: () => agent.destroy() }
}
