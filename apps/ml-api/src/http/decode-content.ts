import { promisify } from 'node:util'
import zlib from 'node:zlib'
import { ApiError } from './api-error.js'

type Decoder = (body: Buffer, options: zlib.ZlibOptions & zlib.BrotliOptions) => Promise<Buffer>

const gunzip: Decoder = promisify(zlib.gunzip)

/**
 * The content codings a request body may carry (RFC 9110 §8.4.1): `deflate` is the zlib format
 * (§8.4.1.2), `x-gzip` is `gzip` (§8.4.1.3). A Map, so no coding name can reach `Object.prototype`.
 */
const DECODERS = new Map<string, Decoder>([
  ['gzip', gunzip],
  ['x-gzip', gunzip],
  ['deflate', promisify(zlib.inflate)],
  ['br', promisify(zlib.brotliDecompress)],
])

/** What a 415 names in `Accept-Encoding` (RFC 9110 §12.5.3). */
export const ACCEPTED_ENCODINGS = 'gzip, deflate, br'

/**
 * Undoes the `Content-Encoding` of a request body, in reverse order of the listed codings
 * (RFC 9110 §8.4: they are listed in the order they were applied). `limit` bounds each decoded
 * result: zlib stops inflating as soon as its output passes it (plus at most one 16 KiB chunk),
 * so a zip bomb costs no more than the limit. Throws an {@link ApiError}: 415 for a coding not
 * supported (with `Accept-Encoding`), 413 past the limit, 400 for a body that does not decode.
 */
export async function decodeContent(
  body: Buffer,
  header: string | undefined,
  limit: number,
): Promise<Buffer> {
  if (header === undefined) return body
  const codings = header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
  const unknown = codings.find((coding) => !DECODERS.has(coding))
  if (unknown !== undefined) {
    throw new ApiError(
      'unsupported_media_type',
      `Content-Encoding ${unknown} is not supported: send ${ACCEPTED_ENCODINGS}, or no encoding`,
      { headers: { 'accept-encoding': ACCEPTED_ENCODINGS } },
    )
  }
  let decoded = body
  for (const coding of codings.reverse()) {
    try {
      decoded = await DECODERS.get(coding)!(decoded, { maxOutputLength: limit })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ApiError('payload_too_large', `the body is larger than ${limit} bytes once decoded`)
      }
      throw new ApiError('malformed_encoding', `the body is not valid ${coding}: ${(error as Error).message}`)
    }
  }
  return decoded
}
