import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { hashKey } from '@cache/core'

/**
 * Version of the code that turns weights into answers (tokenization, bucketing, feature scaling,
 * output shape). Bump it when that code changes the answers: every cached answer then misses.
 */
export const MODEL_CODE_VERSION = 1

/** SHA-256 hex of the concatenated bytes of `files`, streamed (weights are tens of MB). */
export async function digestFiles(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256')
  for (const file of files) {
    // The name goes in too, so moving bytes from one file to the next changes the digest.
    hash.update(`${file.split('/').pop()}\0`)
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  }
  return hash.digest('hex')
}

/**
 * A model version: 16 hex characters of the canonical hash of the data digest, the settings and
 * the code version. Canonical (`hashKey`), so the order of the settings does not matter.
 */
export function modelVersion(
  dataDigest: string,
  settings: Readonly<Record<string, string | number | boolean>>,
  codeVersion: number = MODEL_CODE_VERSION,
): string {
  return hashKey({ data: dataDigest, settings, code: codeVersion }).slice(0, 16)
}
