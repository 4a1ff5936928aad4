import { UnprocessableEntityException, UnsupportedMediaTypeException } from '@nestjs/common'

/** The features of a `/predict` body: 1 to 100 finite numbers, else 415 / 422. */
export function featuresOf(contentType: string | undefined, body: unknown): number[] {
  if (!/^application\/json\b/i.test(contentType ?? '')) {
    throw new UnsupportedMediaTypeException({
      error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Send application/json' },
    })
  }
  const features = (body as { features?: unknown } | undefined)?.features
  const valid =
    Array.isArray(features) &&
    features.length >= 1 &&
    features.length <= 100 &&
    features.every((f) => typeof f === 'number' && Number.isFinite(f))
  if (!valid) {
    throw new UnprocessableEntityException({
      error: { code: 'INVALID_INPUT', message: 'features must be an array of 1 to 100 finite numbers' },
    })
  }
  return features as number[]
}

/** A deterministic score in (0, 1): a logistic function of a fixed weighting of the features. */
export function score(features: number[]): number {
  const z = features.reduce((sum, f, i) => sum + f * (((i % 7) - 3) / 10), 0)
  return Math.round((1 / (1 + Math.exp(-z))) * 1e6) / 1e6
}
