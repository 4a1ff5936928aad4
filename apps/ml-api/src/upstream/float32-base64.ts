/**
 * OpenAI's `encoding_format: 'base64'`: the vector's float32 values, little-endian, base64. The
 * official `openai` client asks for it by default (it is smaller and exact) and decodes it.
 */
export function float32ToBase64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4)
  for (let i = 0; i < vector.length; i++) bytes.writeFloatLE(vector[i]!, i * 4)
  return bytes.toString('base64')
}

/** Decodes {@link float32ToBase64}; `undefined` when the text is not a whole number of float32s. */
export function base64ToFloat32(text: string): Float32Array | undefined {
  const bytes = Buffer.from(text, 'base64')
  if (bytes.length % 4 !== 0) return undefined
  const out = new Float32Array(bytes.length / 4)
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4)
  return out
}
