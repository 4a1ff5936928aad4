import { describe, expect, it } from 'vitest'
import { adapterConformanceScenarios, runAdapterConformanceScenario } from './describe-adapter-conformance.js'
import { uncachedApp } from './uncached-app.js'

describe('adapter conformance suite, on an app without a cache', () => {
  it.each(adapterConformanceScenarios.map((s) => [s.id, s] as const))('%s fails', async (_id, scenario) => {
    await expect(runAdapterConformanceScenario(scenario, uncachedApp)).rejects.toThrow()
  })
})
