import { describe, expect, it } from 'vitest'
import { resolveRouteOptions } from './route-options.js'

describe('resolveRouteOptions', () => {
  it('refuses an unknown route option, naming the near miss', () => {
    expect(() => resolveRouteOptions({ tll: '1m' } as never)).toThrow(
      /Unknown option "tll".*did you mean "ttl"/,
    )
    expect(() => resolveRouteOptions({}, { methds: ['GET'] } as never)).toThrow(/did you mean "methods"/)
    expect(() => resolveRouteOptions({ varyBy: { header: ['accept'] } } as never)).toThrow(
      /Unknown option "header" in varyBy: did you mean "headers"/,
    )
  })

  it('refuses a bad option with ERR_CACHE_INVALID_OPTION', () => {
    expect(() => resolveRouteOptions({ statuses: [500] })).toThrow(
      expect.objectContaining({ code: 'ERR_CACHE_INVALID_OPTION' }),
    )
  })
})
