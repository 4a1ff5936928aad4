import { describe, expect, it } from 'vitest'
import { checkItem, checkPredict, checkPut, expectedScore } from './answer-checks.js'
import type { HttpAnswer } from './http-client.js'

const answer = (body: unknown, status = 200): HttpAnswer => ({
  status,
  headers: {},
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

describe('checkItem', () => {
  it('accepts exactly { id, version, calls } for the asked id', () => {
    expect(checkItem(answer({ id: 'a', version: 3, calls: 1 }), 'a')).toEqual({
      kind: 'ok',
      value: { id: 'a', version: 3, calls: 1 },
    })
  })

  it('counts a non-200 as failed', () => {
    expect(checkItem(answer({ error: {} }, 500), 'a').kind).toBe('failed')
  })

  it.each([
    ['another id', { id: 'b', version: 0, calls: 1 }],
    ['a negative version', { id: 'a', version: -1, calls: 1 }],
    ['a fractional version', { id: 'a', version: 1.5, calls: 1 }],
    ['zero calls', { id: 'a', version: 0, calls: 0 }],
    ['an extra field', { id: 'a', version: 0, calls: 1, x: 1 }],
    ['a missing field', { id: 'a', version: 0 }],
    ['an array', [1]],
    ['not JSON', '{"id":'],
  ])('calls %s a wrong body', (_, body) => {
    expect(checkItem(answer(body), 'a').kind).toBe('wrong')
  })
})

describe('checkPut', () => {
  it('wants the version the drill expects', () => {
    expect(checkPut(answer({ id: 'a', version: 2 }), 'a', 2).kind).toBe('ok')
    expect(checkPut(answer({ id: 'a', version: 1 }), 'a', 2).kind).toBe('wrong')
    expect(checkPut(answer('', 503), 'a', 2).kind).toBe('failed')
  })
})

describe('checkPredict', () => {
  it('wants the features back and the deterministic score', () => {
    const features = [1, 2, -0]
    const body = { features: [1, 2, 0], score: expectedScore(features), calls: 4 }
    expect(checkPredict(answer(body), features).kind).toBe('ok')
    expect(checkPredict(answer({ ...body, score: body.score + 1e-6 }), features).kind).toBe('wrong')
    expect(checkPredict(answer({ ...body, features: [1, 2, 3] }), features).kind).toBe('wrong')
  })

  it('scores like the example apps', () => {
    expect(expectedScore([0])).toBe(0.5)
    // z = 10 * -0.3 + 10 * -0.2 = -5
    expect(expectedScore([10, 10])).toBe(Math.round((1 / (1 + Math.exp(5))) * 1e6) / 1e6)
  })
})
