import { describe, expect, it } from 'vitest'
import { errors, isCacheError } from './errors.js'
import { assertPeer, requirePeer } from './require-peer.js'

// The real thing (built dist, a node_modules without the peers, import() and require()) is
// tested by the packaging suite in packages/test-utils.
describe('requirePeer', () => {
  it('loads an installed peer', () => {
    const ioredis = requirePeer<typeof import('ioredis')>('ioredis', '@cache/core/redis')
    expect(typeof ioredis.Redis).toBe('function')
    expect(() => assertPeer('keyv', '@cache/core/keyv')).not.toThrow()
  })

  it('names the package to install when the peer is missing', () => {
    for (const attempt of [
      () => requirePeer('@cache/no-such-peer', '@cache/core/nothing'),
      () => assertPeer('@cache/no-such-peer', '@cache/core/nothing'),
    ]) {
      let caught: unknown
      try {
        attempt()
      } catch (error) {
        caught = error
      }
      expect(isCacheError(caught, errors.ERR_CACHE_MISSING_PEER)).toBe(true)
      expect((caught as Error).message).toBe(
        '@cache/core/nothing needs the optional peer dependency "@cache/no-such-peer", which is not installed: npm install @cache/no-such-peer',
      )
      expect(((caught as Error).cause as { code?: string }).code).toBe('MODULE_NOT_FOUND')
    }
  })
})
