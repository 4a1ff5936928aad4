import { fileURLToPath } from 'node:url'
// Relative until `@cache/test-utils` exports the contract suite from its root.
import { describeHttpContract, startNodeApp } from '../../../packages/test-utils/src/http-contract/index.js'

// The built app (turbo builds it before `test`), run as child processes on free ports: the same
// suite on both Nest platforms, each in memory mode and in Redis mode (two processes).
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url))

for (const platform of ['express', 'fastify'] as const) {
  describeHttpContract(`nestjs (${platform})`, ({ processes, env }) =>
    startNodeApp({ entry, processes, env: { ...env, NEST_PLATFORM: platform } }),
  )
}
