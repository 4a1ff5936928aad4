// Plain JavaScript (types in vitest-config.d.ts): vitest loads a package's vitest.config.ts with
// Node's own loader, which imports a linked workspace package as it is, and Node 20 runs no .ts.
import { configDefaults } from 'vitest/config'

export const SOURCE_CONDITIONS = ['@cache/source', 'module', 'node', 'development|production']

export const sourceResolution = {
  resolve: { conditions: SOURCE_CONDITIONS },
  ssr: { resolve: { conditions: SOURCE_CONDITIONS } },
}

export function testProjects(options = {}) {
  const dirs = options.dirs ?? ['src']
  const files = (suffix) => dirs.map((dir) => `${dir}/**/*${suffix}`)
  const globalSetup = options.globalSetup ? [options.globalSetup] : []
  return [
    {
      extends: true,
      test: {
        name: 'unit',
        include: files('.test.ts'),
        exclude: [...configDefaults.exclude, ...files('.redis.test.ts'), ...files('.e2e.test.ts')],
      },
    },
    { extends: true, test: { name: 'redis', include: files('.redis.test.ts'), globalSetup } },
    { extends: true, test: { name: 'e2e', include: files('.e2e.test.ts'), globalSetup } },
  ]
}

export function workspaceTestConfig(options = {}) {
  return {
    ...sourceResolution,
    test: {
      projects: testProjects(options),
      // Generous: the suite must pass on a 2-core machine whose cores are busy, where a test that
      // takes 2 s alone took 30 s. Tests that check a real deadline bound it themselves.
      testTimeout: 120_000,
      hookTimeout: 180_000,
    },
  }
}
