import { workspaceTestConfig } from '@cache/test-utils/vitest-config'

export default workspaceTestConfig()
