import { createCache } from '@cache/core'
import { unreachableStore } from '@cache/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { responseCache } from './index.js'

const CLOSED = expect.objectContaining({ code: 'ERR_CACHE_CLOSED' })

afterEach(() => {
  vi.restoreAllMocks()
})

describe('responseCache lifecycle helpers', () => {
  it('close() closes the cache it created; leaves a Cache you passed open, unless closeCache', async () => {
    const made = responseCache({ cache: { namespace: 'made' } })
    await made.close()
    await expect(made.http.cache.get('k')).rejects.toThrow(CLOSED)

    const yours = createCache()
    await responseCache({ cache: yours }).close()
    await expect(yours.get('k')).resolves.toBeUndefined()
    await responseCache({ cache: yours, closeCache: true }).close()
    await expect(yours.get('k')).rejects.toThrow(CLOSED)
  })

  it('ready() resolves true on a ready cache; warns and resolves false on one that is not', async () => {
    const memory = responseCache({ cache: {} })
    expect(await memory.ready()).toBe(true)
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const unready = responseCache({ cache: { store: unreachableStore(), logger: false } })
    expect(await unready.ready()).toBe(false)
    expect(warn.mock.calls).toEqual([
      [expect.stringMatching(/^@cache\/express: The cache is not ready \(.+\)/)],
    ])
    await Promise.all([memory.close(), unready.close()])
  })

  it('ready() rejects with the cause under requireReady', async () => {
    const strict = responseCache({ cache: { store: unreachableStore(), logger: false }, requireReady: true })
    await expect(strict.ready()).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } })
  })
})
