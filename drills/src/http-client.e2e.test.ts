import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { HttpClient } from './http-client.js'

const cleanup: (() => void)[] = []
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn()
})

describe('HttpClient', () => {
  it('waits its own timeout, not the agent idle 1 s, while a new socket connects on a stalled loop', async () => {
    const server = createServer((_req, res) => res.end('ok'))
    await once(server.listen(0, '127.0.0.1'), 'listening')
    const client = new HttpClient(10_000)
    cleanup.push(
      () => server.close(),
      () => server.closeAllConnections(),
      () => client.close(),
    )
    const answer = client.send({
      method: 'GET',
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    })
    // A busy machine: the event loop stalls past 1 s before the connection's `connect` is seen.
    const until = Date.now() + 1300
    while (Date.now() < until) {}
    expect((await answer).body).toBe('ok')
  })
})
