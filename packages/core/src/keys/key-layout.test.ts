import { describe, expect, it } from 'vitest'
import { createCache } from '../create-cache.js'
import { MemoryStore } from '../stores/memory-store.js'
import {
  assertNamespace,
  childPath,
  keyPrefix,
  namespacePrefixes,
  prefixesCovering,
  qualifyTag,
  qualifyTags,
  rootNamespace,
  splitKey,
} from './key-layout.js'

describe('key layout', () => {
  it('formats a namespace path and its keys, and parses them back', () => {
    const path = childPath(childPath('app', 'users'), 'v2')
    const key = `${keyPrefix(path)}42:a`
    expect(key).toBe('app/users/v2:42:a')
    expect(splitKey(key)).toEqual({ path: 'app/users/v2', key: '42:a' })
    expect(rootNamespace(key)).toBe('app')
    expect(splitKey('no-namespace')).toBeUndefined()
    expect(splitKey(':x')).toBeUndefined()
  })

  it('gives the prefixes a clear of a namespace, and those a key is reached by', () => {
    expect(namespacePrefixes('app/users')).toEqual(['app/users:', 'app/users/'])
    expect(namespacePrefixes(undefined)).toEqual([''])
    expect(prefixesCovering('app/users/v2:42')).toEqual(['app/users/v2:', 'app/', 'app/users/'])
  })

  it('qualifies tags with the root namespace; a key no Cache wrote keeps its tags', () => {
    expect(qualifyTag('app', 'user:1')).toBe('app:user:1')
    expect(qualifyTags('app/users:42', ['a', 'b'])).toEqual(['app:a', 'app:b'])
    expect(qualifyTags('plain', ['a'])).toEqual(['a'])
  })

  it('rejects namespace segments that would break the layout', () => {
    for (const bad of ['a:b', 'a/b', '', '__x', 1]) {
      expect(() => assertNamespace(bad), String(bad)).toThrow(/Invalid namespace/)
    }
    expect(() => assertNamespace('users.v-2_x')).not.toThrow()
  })

  it('is the layout a Cache writes: keys of child namespaces, tags qualified by the root', async () => {
    const writes: { key: string; tags: readonly string[] }[] = []
    class RecordingStore extends MemoryStore {
      override async set(key: string, value: Uint8Array, ttl: number, tags: readonly string[] = []) {
        writes.push({ key, tags })
        return super.set(key, value, ttl, tags)
      }
    }
    const cache = createCache({ namespace: 'app', store: new RecordingStore() })
    const users = cache.namespace('users')
    await users.set('42', 'v', { tags: ['t'] })
    expect(writes).toEqual([
      { key: `${keyPrefix(childPath('app', 'users'))}42`, tags: [qualifyTag('app', 't')] },
    ])
    expect(writes[0]).toEqual({ key: 'app/users:42', tags: ['app:t'] })
    expect(splitKey(users.fullKey('42'))).toEqual({ path: users.namespacePath, key: '42' })
    await cache.close()
  })
})
