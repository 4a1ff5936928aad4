import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // One redis-server per vitest run, shared by every useRedis() file (each with its own key prefix).
    globalSetup: ['../test-utils/src/redis/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
