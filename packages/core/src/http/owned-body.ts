/**
 * A captured body encoded into memory of its own, for a `Produced` capture marked `owned`: one
 * allocation, which the stored response keeps without a copy. `Buffer.from` would put a body
 * under 4 KB in Node's shared 8 KB pool, which the store must then copy out of (a pooled slice
 * kept in L1 keeps its whole slab alive). `undefined` when it is over `maxBytes` bytes: the
 * adapter passes such a response through.
 */
export function ownedBody(
  text: string,
  maxBytes: number,
  encoding: BufferEncoding = 'utf8',
): Buffer | undefined {
  // A UTF-8 string is at least as many bytes as UTF-16 code units: a long one is refused unencoded.
  if (encoding === 'utf8' && text.length > maxBytes) return undefined
  const size = Buffer.byteLength(text, encoding)
  if (size > maxBytes) return undefined
  const bytes = Buffer.allocUnsafeSlow(size)
  bytes.write(text, 0, size, encoding)
  return bytes
}

/** `parts` joined into memory of its own, for an `owned` capture (`Buffer.concat` uses the pool). */
export function joinedBody(parts: readonly Uint8Array[]): Buffer {
  let size = 0
  for (const part of parts) size += part.byteLength
  const bytes = Buffer.allocUnsafeSlow(size)
  let at = 0
  for (const part of parts) {
    bytes.set(part, at)
    at += part.byteLength
  }
  return bytes
}
