import { workspaceTestConfig } from '@cache/test-utils/vitest-config'

export default workspaceTestConfig({ globalSetup: '@cache/test-utils/redis-global-setup' })
