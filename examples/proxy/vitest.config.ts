import { sourceResolution, testProjects } from '@cache/test-utils/vitest-projects'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  ...sourceResolution,
  test: {
    projects: testProjects(),
    // Generous: the suite must pass on a 2-core machine whose cores are busy, where a test that
    // takes 2 s alone took 30 s. Tests that check a real deadline bound it themselves.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
})
