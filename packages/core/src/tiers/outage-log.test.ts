import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConnectingStore } from '../../test/connecting-store.js'
import { createCache } from '../create-cache.js'
import { errors } from '../errors.js'
import { MemoryStore } from '../stores/memory-store.js'

afterEach(() => {
  vi.restoreAllMocks()
})

const refused = () => Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6379'), { code: 'ECONNREFUSED' })

function setup() {
  const store = new ConnectingStore(new MemoryStore())
  const lines: string[] = []
  const cache = createCache({
    store,
    logger: { warn: (m) => lines.push(`warn ${m}`), info: (m) => lines.push(`info ${m}`) },
  })
  return { store, cache, lines }
}

describe('logger option and outage lines', () => {
  it('one warning per outage (not per attempt), one line when back', () => {
    const { store, lines } = setup()
    store.connect()
    store.drop() // a clean close: no warning until an attempt fails
    expect(lines).toEqual([])
    store.fail(refused())
    store.fail(refused())
    store.fail(new Error('WRONGPASS invalid username-password pair'))
    expect(lines).toEqual([
      'warn @cache/core: chaos at test://store is unavailable (connect ECONNREFUSED 10.0.0.1:6379); serving from memory and loaders until it is back',
    ])
    store.connect()
    expect(lines[1]).toMatch(/^info @cache\/core: chaos at test:\/\/store is back after \d+\.\d s$/)
    store.drop()
    store.connect() // a blip that came straight back: nothing
    expect(lines).toHaveLength(2)
  })

  it('a store that already failed before the cache was created is reported at once', () => {
    const store = new ConnectingStore(new MemoryStore())
    store.fail(refused())
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    createCache({ store })
    expect(warn).toHaveBeenCalledTimes(1) // the default logger is console.warn
    expect(String(warn.mock.calls[0]![0])).toContain('ECONNREFUSED')
  })

  it('logger: false is silent; close() stops following the store', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const quiet = new ConnectingStore(new MemoryStore())
    createCache({ store: quiet, logger: false })
    quiet.fail(refused())
    const { store, cache, lines } = setup()
    await cache.close()
    store.fail(refused())
    expect(lines).toEqual([])
    expect(warn).not.toHaveBeenCalled()
  })

  it('a logger without warn and info is refused at setup', () => {
    for (const logger of [{ warn: () => {} }, null, 'console', true]) {
      expect(() => createCache({ logger: logger as never })).toThrow(
        expect.objectContaining({ code: errors.ERR_CACHE_INVALID_OPTION }),
      )
    }
  })
})
