import { describe, expect, it } from 'vitest'
import { handledRequests } from './handled-requests.js'

describe('handledRequests', () => {
  it('is one set per name, shared by every copy that asks, and leaves the request untouched', () => {
    const req = Object.setPrototypeOf({}, { framework: true }) as object
    const mine = handledRequests('@cache/test.handled')
    mine.add(req)
    // Another installed copy of the adapter asks by the same name.
    expect(handledRequests('@cache/test.handled').has(req)).toBe(true)
    expect(handledRequests('@cache/other.handled').has(req)).toBe(false)
    expect(Reflect.ownKeys(req)).toEqual([])
  })
})
