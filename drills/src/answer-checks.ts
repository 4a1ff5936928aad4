import { isDeepStrictEqual } from 'node:util'
import type { HttpAnswer } from './http-client.js'

/** What a check makes of one answer. */
export type Checked<T> =
  | { kind: 'ok'; value: T }
  /** Not a 200 (the client gets an error): a failed request. */
  | { kind: 'failed'; detail: string }
  /** A 200 whose body breaks the example apps' contract. */
  | { kind: 'wrong'; detail: string }

/** The body of `GET /items/:id`. */
export interface ItemBody {
  id: string
  version: number
  calls: number
}

/** Checks a `GET /items/:id` answer: 200 and exactly `{ id, version, calls }` for the asked `id`. */
export function checkItem(answer: HttpAnswer, id: string): Checked<ItemBody> {
  const body = parse200(answer)
  if (body.kind !== 'ok') return body
  const v = body.value
  if (
    !hasExactly(v, ['id', 'version', 'calls']) ||
    v.id !== id ||
    !isCount(v.version, 0) ||
    !isCount(v.calls, 1)
  ) {
    return wrong(answer, `not { id: ${JSON.stringify(id)}, version, calls }`)
  }
  return { kind: 'ok', value: v as unknown as ItemBody }
}

/** Checks a `PUT /items/:id` answer: 200 and exactly `{ id, version }` with the version the drill expects. */
export function checkPut(answer: HttpAnswer, id: string, version: number): Checked<number> {
  const body = parse200(answer)
  if (body.kind !== 'ok') return body
  const v = body.value
  if (!hasExactly(v, ['id', 'version']) || v.id !== id || v.version !== version) {
    return wrong(answer, `not { id: ${JSON.stringify(id)}, version: ${version} }`)
  }
  return { kind: 'ok', value: version }
}

/** Checks a `POST /predict` answer: 200 and exactly `{ features, score, calls }` with the deterministic score. */
export function checkPredict(answer: HttpAnswer, features: readonly number[]): Checked<number> {
  const body = parse200(answer)
  if (body.kind !== 'ok') return body
  const v = body.value
  if (
    !hasExactly(v, ['features', 'score', 'calls']) ||
    // Compared with what the app received: JSON has no -0, for one.
    !isDeepStrictEqual(v.features, JSON.parse(JSON.stringify(features))) ||
    v.score !== expectedScore(features) ||
    !isCount(v.calls, 1)
  ) {
    return wrong(answer, `not { features, score: ${expectedScore(features)}, calls }`)
  }
  return { kind: 'ok', value: v.score as number }
}

/**
 * The score every example app computes for `features` (a logistic function of a fixed
 * weighting): the drill's oracle for `POST /predict` bodies, whichever instance computed them.
 */
export function expectedScore(features: readonly number[]): number {
  const z = features.reduce((sum, f, i) => sum + f * (((i % 7) - 3) / 10), 0)
  return Math.round((1 / (1 + Math.exp(-z))) * 1e6) / 1e6
}

function parse200(answer: HttpAnswer): Checked<Record<string, unknown>> {
  if (answer.status !== 200)
    return { kind: 'failed', detail: `status ${answer.status}: ${clip(answer.body)}` }
  let value: unknown
  try {
    value = JSON.parse(answer.body)
  } catch {
    return wrong(answer, 'not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return wrong(answer, 'not an object')
  return { kind: 'ok', value: value as Record<string, unknown> }
}

function hasExactly(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value)
  return own.length === keys.length && keys.every((k) => Object.hasOwn(value, k))
}

function isCount(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min
}

function wrong(answer: HttpAnswer, why: string): { kind: 'wrong'; detail: string } {
  return { kind: 'wrong', detail: `${why}: ${clip(answer.body)}` }
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}
