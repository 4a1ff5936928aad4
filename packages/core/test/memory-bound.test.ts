import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const PROBE = fileURLToPath(new URL('./fixtures/heap-probe.mjs', import.meta.url))
const MAX_BYTES = 8_000_000

function probe(kind: string, count: number): { entries: number; bytes: number; retained: number } {
  const out = execFileSync(process.execPath, ['--expose-gc', PROBE, String(MAX_BYTES), String(count), kind])
  return JSON.parse(out.toString())
}

describe('memory.maxBytes bounds the heap L1 holds', () => {
  it.each([
    ['small objects (per-entry bookkeeping dominates)', 'small', 200_000],
    ['objects of many small fields', 'object', 30_000],
    ['long strings', 'string', 3_000],
  ])('%s', (_name, kind, count) => {
    const { entries, bytes, retained } = probe(kind, count)
    expect(entries).toBeLessThan(count) // the bound was reached and evicted
    expect(bytes).toBeLessThanOrEqual(MAX_BYTES)
    // An estimate, not a measurement: within 50% of the bound, where counting encoded bytes
    // alone let small entries hold over 5 times it.
    expect(retained).toBeLessThan(MAX_BYTES * 1.5)
  })
})
