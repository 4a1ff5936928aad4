/** Bytes as a Buffer over the same memory (no copy). */
export function toBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
}

/** A TTL in ms as a `PX` argument; '' for none (`Infinity`). */
export function pxOf(ttl: number): string {
  return Number.isFinite(ttl) ? String(Math.max(1, Math.ceil(ttl))) : ''
}
