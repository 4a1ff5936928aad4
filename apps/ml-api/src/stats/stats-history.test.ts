import { describe, expect, it } from 'vitest'
import { StatsHistory } from './stats-history.js'
import { UsageStats } from './usage-stats.js'

describe('StatsHistory', () => {
  it('keeps the last maxPoints samples of the cumulative counters', () => {
    const stats = new UsageStats()
    const history = new StatsHistory(() => stats.snapshot(), { intervalMs: 5000, maxPoints: 3 })
    for (let i = 0; i < 5; i++) {
      stats.lookup({
        model: 'm',
        items: 2,
        hits: 1,
        misses: 1,
        coalesced: 0,
        lookupSeconds: 0,
        saved: { seconds: 0, tokens: 0, money: 0 },
      })
      history.sample()
    }
    expect(history.points().map((p) => p.hits)).toEqual([3, 4, 5])
    expect(history.points()[2]).toMatchObject({ misses: 5, hitRatio: 0.5 })
  })
})
