import { sourceResolution, testProjects } from '@cache/test-utils/vitest-projects'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  ...sourceResolution,
  test: {
    projects: testProjects({ globalSetup: '@cache/test-utils/redis-global-setup' }),
    // Generous: the suite must pass on a 2-core machine whose cores are busy, where a test that
    // takes 2 s alone took 30 s. Tests that check a real deadline bound it themselves. Model
    // loading (USE weights, flights data) is CPU-bound: files in parallel mostly wait for each other.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
})
