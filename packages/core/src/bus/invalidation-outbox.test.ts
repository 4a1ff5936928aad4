import { describe, expect, it, vi } from 'vitest'
import { type Invalidation, InvalidationOutbox, type OutboxTarget } from './invalidation-outbox.js'

/** A target that records deliveries and fails while `down` is true. */
function target() {
  const t = {
    down: false,
    applied: [] as Invalidation[],
    published: [] as Invalidation[],
    overflows: 0,
    async apply(message: Invalidation) {
      if (t.down) throw new Error('store down')
      t.applied.push(message)
      return 1
    },
    async publish(message: Invalidation) {
      if (t.down) throw new Error('bus down')
      t.published.push(message)
    },
    fault: vi.fn(),
    overflow(): Invalidation {
      t.overflows++
      return { kind: 'clear', prefixes: ['ns:', 'ns/'] }
    },
  }
  return t satisfies OutboxTarget
}

describe('InvalidationOutbox', () => {
  it('delivers at once when the store answers: store first, then the bus', async () => {
    const t = target()
    const outbox = new InvalidationOutbox(t, 100)
    expect(await outbox.send({ kind: 'keys', keys: ['ns:a'] })).toBe(1)
    expect(t.applied).toEqual([{ kind: 'keys', keys: ['ns:a'] }])
    expect(t.published).toEqual(t.applied)
    expect(outbox.pending).toBe(0)
  })

  it('keeps what failed, blocks it, and replays it in order on its own', async () => {
    const t = target()
    const outbox = new InvalidationOutbox(t, 100)
    t.down = true
    expect(await outbox.send({ kind: 'keys', keys: ['ns:a'] })).toBeUndefined()
    await outbox.send({ kind: 'tags', tags: ['t1'] })
    await outbox.send({ kind: 'clear', prefixes: ['ns/child:'] })
    expect(outbox.pending).toBe(3)
    expect(t.fault).toHaveBeenCalled()
    expect(outbox.blocks('ns:a', [])).toBe(true)
    expect(outbox.blocks('ns:b', ['t1'])).toBe(true)
    expect(outbox.blocks('ns/child:x', [])).toBe(true)
    expect(outbox.blocks('ns:b', ['t2'])).toBe(false)
    t.down = false
    await vi.waitFor(() => expect(outbox.pending).toBe(0))
    expect(t.applied.map((m) => m.kind)).toEqual(['keys', 'tags', 'clear'])
    expect(t.published.map((m) => m.kind)).toEqual(['keys', 'tags', 'clear'])
    expect(outbox.blocks('ns:a', [])).toBe(false)
    outbox.close()
  })

  it('while failing, a new message is queued in order without waiting for another attempt', async () => {
    const t = target()
    let release!: () => void
    const outbox = new InvalidationOutbox(t, 100)
    t.down = true
    expect(await outbox.send({ kind: 'keys', keys: ['ns:a'] })).toBeUndefined()
    // Past the end of the failed attempt (not joining it while it winds down).
    await new Promise((resolve) => setImmediate(resolve))
    // The store now hangs instead of failing: an attempt would not end until it is released.
    t.down = false
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const apply = t.apply
    t.apply = async (message: Invalidation) => {
      await gate
      return apply(message)
    }
    expect(await outbox.send({ kind: 'tags', tags: ['t1'] })).toBeUndefined()
    expect(outbox.pending).toBe(2)
    expect(outbox.blocks('ns:b', ['t1'])).toBe(true)
    release()
    await vi.waitFor(() => expect(outbox.pending).toBe(0))
    expect(t.applied.map((m) => m.kind)).toEqual(['keys', 'tags'])
    // Delivered again: the next message waits for its own delivery and reports what it removed.
    expect(await outbox.send({ kind: 'keys', keys: ['ns:c'] })).toBe(1)
    outbox.close()
  })

  it('a message already in the store only waits for the bus', async () => {
    const t = target()
    const outbox = new InvalidationOutbox(t, 100)
    await outbox.send({ kind: 'keys', keys: ['ns:a'] }, true)
    expect(t.applied).toEqual([])
    expect(t.published).toEqual([{ kind: 'keys', keys: ['ns:a'] }])
  })

  it('past its bound, collapses into the one clear the target names, which blocks everything', async () => {
    const t = target()
    const outbox = new InvalidationOutbox(t, 3)
    t.down = true
    for (const key of ['ns:a', 'ns:b', 'ns:c', 'ns:d']) await outbox.send({ kind: 'keys', keys: [key] })
    expect(t.overflows).toBe(1)
    expect(outbox.pending).toBe(1)
    expect(outbox.blocks('ns:anything', [])).toBe(true)
    t.down = false
    await vi.waitFor(() => expect(outbox.pending).toBe(0))
    expect(t.applied).toEqual([{ kind: 'clear', prefixes: ['ns:', 'ns/'] }])
    outbox.close()
  })

  it('close stops the retries and hands back what was never delivered', async () => {
    const t = target()
    const outbox = new InvalidationOutbox(t, 100)
    t.down = true
    await outbox.send({ kind: 'tags', tags: ['t'] })
    expect(outbox.close()).toEqual([{ kind: 'tags', tags: ['t'] }])
    t.down = false
    await new Promise((r) => setTimeout(r, 120))
    expect(t.applied).toEqual([])
  })
})
