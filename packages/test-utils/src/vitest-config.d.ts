import type { TestProjectInlineConfiguration, ViteUserConfig } from 'vitest/config'

/**
 * Resolution conditions of every package's tests: the private `@cache/source` export condition
 * first, so a workspace package imported by name (`@cache/core`, `@cache/test-utils`) runs from
 * its TypeScript source and no unit test needs another package built. The rest are Vite's server
 * defaults, which a `conditions` list replaces rather than extends. Vitest starts its workers with
 * these as `--conditions`, and `fork()` passes them on: a forked process that loads a built package
 * must drop `@cache/source` from its `execArgv`.
 */
export declare const SOURCE_CONDITIONS: string[]

/** The Vite options that make a package's tests resolve workspace packages to their source. */
export declare const sourceResolution: Pick<ViteUserConfig, 'resolve' | 'ssr'>

/** Options of `workspaceTestConfig` and `testProjects`. */
export interface TestProjectsOptions {
  /** Folders (relative to the package) whose test files the projects take. @default ['src'] */
  dirs?: string[]
  /**
   * Vitest global setup of the `redis` and `e2e` projects, e.g. the shared Redis server
   * (`'@cache/test-utils/redis-global-setup'`). The `unit` project never gets it: unit tests
   * start no server. @default none
   */
  globalSetup?: string
}

/**
 * The three test projects of a package, one per file suffix, each run by its own turbo task:
 * `unit` (`*.test.ts`: no server, no build of another package; turbo caches it), `redis`
 * (`*.redis.test.ts`: starts redis-server) and `e2e` (`*.e2e.test.ts`: listens on sockets, may
 * run built packages or Chromium). Run one with `vitest run --project unit`.
 */
export declare function testProjects(options?: TestProjectsOptions): TestProjectInlineConfiguration[]

/**
 * A package's whole vitest config: {@link sourceResolution}, {@link testProjects} and the
 * repository's generous time limits (120 s a test, 180 s a hook), which a machine whose cores
 * are all busy needs. A package's `vitest.config.ts` is `export default workspaceTestConfig()`.
 */
export declare function workspaceTestConfig(options?: TestProjectsOptions): ViteUserConfig
