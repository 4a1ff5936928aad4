import http from 'node:http'
import type { HitBytes } from './setup.js'

// Node writes these itself on every response (or they describe the connection, not the response).
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding'])

function get(port: number): Promise<{ status: number; raw: string[]; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/item' }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode!, raw: res.rawHeaders, body: Buffer.concat(chunks) }),
        )
      })
      .on('error', reject)
  })
}

/**
 * The bytes of a cache hit of the server on `port`: requests `/item` twice (a miss that stores,
 * then the hit) and keeps the second response's status, headers and body.
 */
export async function captureHit(port: number): Promise<HitBytes> {
  await get(port)
  const hit = await get(port)
  const headers: string[] = []
  for (let i = 0; i < hit.raw.length; i += 2) {
    if (!PER_CONNECTION.has(hit.raw[i]!.toLowerCase())) headers.push(hit.raw[i]!, hit.raw[i + 1]!)
  }
  return { status: hit.status, headers, body: hit.body }
}
