import { describe, expect, it } from 'vitest'
import { parseDrillOptions } from './drill-options.js'

describe('parseDrillOptions', () => {
  it('runs every app and fault for 5 s by default, latency judged', () => {
    const options = parseDrillOptions([])
    expect(options.plans.map((p) => p.app)).toEqual(['express', 'fastify', 'nestjs'])
    expect(options.plans[0]).toMatchObject({ faultMs: 5000, afterMs: 5000, budgetMs: 250, slackMs: 100 })
    expect(options.plans[0]!.faults).toContain('debug-sleep')
    expect(options.judgeLatency).toBe(true)
  })

  it('has a short profile on one app, which explicit options override', () => {
    const options = parseDrillOptions(['--short', '--after-ms', '1000', '--relax-latency'])
    expect(options.plans.map((p) => p.app)).toEqual(['express'])
    expect(options.plans[0]).toMatchObject({ faultMs: 5000, afterMs: 1000, baselineMs: 3000 })
    expect(options.judgeLatency).toBe(false)
  })

  it('refuses unknown apps, faults, options and bad numbers', () => {
    expect(() => parseDrillOptions(['--apps', 'koa'])).toThrow(/unknown app "koa"/)
    expect(() => parseDrillOptions(['--faults', 'pause-all,sigstop'])).toThrow(/unknown fault "sigstop"/)
    expect(() => parseDrillOptions(['--fast'])).toThrow()
    expect(() => parseDrillOptions(['--workers', '2'])).toThrow(/--workers must be an integer >= 4/)
    expect(() => parseDrillOptions(['--rate', '1.5'])).toThrow(/--rate/)
  })
})
