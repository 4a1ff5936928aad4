import { workspaceTestConfig } from '@cache/test-utils/vitest-config'

// Model loading (USE weights, flights data) is CPU-bound: files in parallel mostly wait for each other,
// which the generous limits allow for.
export default workspaceTestConfig({ globalSetup: '@cache/test-utils/redis-global-setup' })
