import { workspaceTestConfig } from '@cache/test-utils/vitest-config'

// Only the drill's own logic (ledger, checks, statistics) runs here; the drills themselves are
// `npm run drills`, outside `npm test`.
export default workspaceTestConfig()
