// Plain JavaScript (types in vitest-projects.d.ts): vitest loads a package's vitest.config.ts with
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
