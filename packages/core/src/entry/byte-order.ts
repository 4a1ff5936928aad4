/**
 * Multi-byte elements (typed arrays) are stored little-endian. Every common Node platform is
 * little-endian; a big-endian host (s390x) swaps on the way in and out so bytes stay portable.
 */
export const BIG_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0

/** Reverses the byte order of each `size`-byte element in place. */
export function swapBytes(bytes: Buffer, size: number): void {
  if (size === 2) bytes.swap16()
  else if (size === 4) bytes.swap32()
  else if (size === 8) bytes.swap64()
}
