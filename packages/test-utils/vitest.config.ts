import { workspaceTestConfig } from './src/vitest-config.js'

export default workspaceTestConfig({ globalSetup: './src/redis/global-setup.ts' })
