import { createCache } from '@cache/core'
import { describe, it } from 'vitest'
import { invalidationScenarios } from './invalidation-scenarios.js'
import { replayScenarios } from './replay-scenarios.js'
import { resilienceScenarios } from './resilience-scenarios.js'
import { routeOptionScenarios } from './route-option-scenarios.js'
import type { AdapterConformanceContext, AdapterConformanceScenario } from './scenario.js'
import { storageScenarios } from './storage-scenarios.js'
import type { AdapterConformanceFactory, ConformanceApp } from './types.js'

/** Every scenario of the adapter conformance suite, in a stable order. */
export const adapterConformanceScenarios: readonly AdapterConformanceScenario[] = [
  ...replayScenarios,
  ...storageScenarios,
  ...invalidationScenarios,
  ...routeOptionScenarios,
  ...resilienceScenarios,
]

/**
 * Runs one scenario against apps from `factory`, with a fresh cache (and `extra` in its context);
 * closes every app it started and the cache, whatever happens. Rejects when the adapter fails the
 * scenario.
 */
export async function runAdapterConformanceScenario<X extends object = object>(
  scenario: AdapterConformanceScenario<AdapterConformanceContext & X>,
  factory: AdapterConformanceFactory,
  extra?: X,
): Promise<void> {
  const cache = createCache({ namespace: `conformance-${scenario.id}` })
  const apps: ConformanceApp[] = []
  let requests = 0
  const beforeCache = (setHeader: (name: string, value: string) => void) => {
    setHeader('x-request-id', `req-${++requests}`)
  }
  const context = {
    ...(extra as X),
    cache,
    requests: () => requests,
    async start(routes, options = {}) {
      const app = await factory({ routes, options: { cache, ...options }, beforeCache })
      apps.push(app)
      return app
    },
  } satisfies AdapterConformanceContext
  try {
    await scenario.run(context)
  } finally {
    await Promise.all(apps.map((app) => app.close()))
    await cache.close()
  }
}

/**
 * Registers a vitest `describe` block with one test per {@link adapterConformanceScenarios}
 * entry: the HTTP caching behaviour every adapter shares, on the framework `factory` builds.
 *
 * @example
 * describeAdapterConformance('Express', async ({ routes, options }) => {
 *   const rc = responseCache(options)
 *   const app = express()
 *   for (const route of routes) app[route.method.toLowerCase()](route.path, rc.route(route.cache), ...)
 *   ...
 * })
 */
export function describeAdapterConformance(name: string, factory: AdapterConformanceFactory): void {
  describe(`adapter conformance: ${name}`, () => {
    for (const scenario of adapterConformanceScenarios) {
      it(scenario.name, () => runAdapterConformanceScenario(scenario, factory))
    }
  })
}
