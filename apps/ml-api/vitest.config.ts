import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // One redis-server per vitest run, shared by every useRedis() file (each with its own key prefix).
    globalSetup: ['../../packages/test-utils/src/redis/global-setup.ts'],
    // Model loading (USE weights, flights data) is CPU-bound: on 2 cores, files in parallel
    // mostly wait for each other.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
