import type { Cache } from '@cache/core'
import type { AdapterCacheOptions } from '@cache/core/http/adapter'
import type { ConformanceApp, ConformanceRequest, ConformanceRoute } from './types.js'

/** Adapter options a scenario sets over the suite's `{ cache }` (`cache` itself included). */
export type ConformanceOptions = Partial<AdapterCacheOptions<ConformanceRequest>>

/** What a scenario receives. */
export interface AdapterConformanceContext {
  /** A fresh cache for this scenario; every app it starts stores in it unless told otherwise. */
  cache: Cache
  /**
   * How many requests reached the apps; each got `x-request-id: req-<n>` before the cache (see
   * `ConformanceSetup.beforeCache`).
   */
  requests(): number
  /** Starts an app with `routes` through the factory; the runner closes it after the scenario. */
  start(routes: readonly ConformanceRoute[], options?: ConformanceOptions): Promise<ConformanceApp>
}

/** One behaviour every adapter must show, on any framework. */
export interface AdapterConformanceScenario<C extends AdapterConformanceContext = AdapterConformanceContext> {
  /** Short kebab-case id. */
  id: string
  /** What the scenario asserts, used as the test name. */
  name: string
  /** Runs the assertions; rejects when the adapter does not behave. */
  run(context: C): Promise<void>
}
