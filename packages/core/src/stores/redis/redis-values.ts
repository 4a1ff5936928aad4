/** Replaces Redis's nils by `undefined`, in place (the reply array is ours). */
export function nullsToUndefined(values: (Buffer | null | undefined)[]): (Buffer | undefined)[] {
  for (let i = 0; i < values.length; i++) if (values[i] === null) values[i] = undefined
  return values as (Buffer | undefined)[]
}

/** Redis answers a missing key with null; the store contract says `undefined`. */
export function nullToUndefined(bytes: Buffer | null): Buffer | undefined {
  return bytes ?? undefined
}

/** Bytes as a Buffer over the same memory (no copy). */
export function toBuffer(value: Uint8Array): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
}

/** A TTL in ms as a `PX` argument; '' for none (`Infinity`). */
export function pxOf(ttl: number): string {
  return Number.isFinite(ttl) ? String(Math.max(1, Math.ceil(ttl))) : ''
}
