import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { digestFiles, MODEL_CODE_VERSION, modelVersion } from './model-version.js'

describe('modelVersion', () => {
  it('is canonical in the settings and changes with data, settings and code version', () => {
    const v = modelVersion('abc', { k: 5, rows: 10 })
    expect(v).toMatch(/^[0-9a-f]{16}$/)
    expect(modelVersion('abc', { rows: 10, k: 5 })).toBe(v)
    expect(modelVersion('abd', { k: 5, rows: 10 })).not.toBe(v)
    expect(modelVersion('abc', { k: 6, rows: 10 })).not.toBe(v)
    expect(modelVersion('abc', { k: 5, rows: 10 }, MODEL_CODE_VERSION + 1)).not.toBe(v)
  })

  it('digests file bytes and names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ml-api-version-'))
    try {
      await writeFile(join(dir, 'a'), 'hello')
      await writeFile(join(dir, 'b'), 'world')
      const ab = await digestFiles([join(dir, 'a'), join(dir, 'b')])
      expect(ab).toMatch(/^[0-9a-f]{64}$/)
      expect(await digestFiles([join(dir, 'a'), join(dir, 'b')])).toBe(ab)
      await writeFile(join(dir, 'b'), 'world!')
      expect(await digestFiles([join(dir, 'a'), join(dir, 'b')])).not.toBe(ab)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
