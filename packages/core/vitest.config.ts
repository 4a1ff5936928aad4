import { workspaceTestConfig } from '@cache/test-utils/vitest-config'

export default workspaceTestConfig({
  dirs: ['src', 'test'],
  globalSetup: '@cache/test-utils/redis-global-setup',
})
