import { sourceResolution, testProjects } from '@cache/test-utils/vitest-projects'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  ...sourceResolution,
  test: {
    projects: testProjects(),
    // Generous: a test waits on conditions, and a busy machine (both cores taken) is slow to
    // start servers and child processes; a deadline a test is about has its own bound.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
})
