import { createServer, type Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { until } from '@cache/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { replaceNextEnd } from './replace-next-end.js'

let server: Server | undefined
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())))

async function serve(handler: (res: ServerResponse) => void): Promise<string> {
  server = createServer((_req, res) => handler(res))
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('replaceNextEnd', () => {
  it("puts another response in place of the next end(), with no property added on a framework's prototype", async () => {
    const own: boolean[] = []
    const finished: string[] = []
    const url = await serve((res) => {
      Object.setPrototypeOf(res, Object.create(ServerResponse.prototype))
      replaceNextEnd(res, (raw) => {
        raw.writeHead(200, { 'x-replaced': '1' })
        raw.end('replacement')
      })
      own.push(['writeHead', 'write', 'end'].some((name) => Object.hasOwn(res, name)))
      res.setHeader('x-framework', 'kept')
      res.end('framework body', () => finished.push('callback'))
    })
    const response = await fetch(url)
    expect(await response.text()).toBe('replacement')
    expect(response.headers.get('x-replaced')).toBe('1')
    expect(response.headers.get('x-framework')).toBe('kept')
    expect(own).toEqual([false])
    await until(() => finished.length > 0)
    expect(finished).toEqual(['callback'])
  })

  it('replaces only the next end() of a response with own overrides, then gives them back', async () => {
    const url = await serve((res) => {
      const end = res.end
      const wrapper = function (this: ServerResponse, ...args: unknown[]) {
        return (end as (...a: unknown[]) => ServerResponse).apply(this, args)
      } as ServerResponse['end']
      res.end = wrapper
      replaceNextEnd(res, (raw) => {
        expect(raw.end).toBe(wrapper)
        raw.end('second')
      })
      res.end('first')
    })
    expect(await (await fetch(url)).text()).toBe('second')
  })
})
