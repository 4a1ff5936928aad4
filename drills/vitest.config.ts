import { sourceResolution, testProjects } from '@cache/test-utils/vitest-projects'
import { defineConfig } from 'vitest/config'

// Only the drill's own logic (ledger, checks, statistics) runs here; the drills themselves are
// `npm run drills`, outside `npm test`.
export default defineConfig({
  ...sourceResolution,
  test: {
    projects: testProjects(),
  },
})
