import { fileURLToPath } from 'node:url'
import { describeHttpContract, startNodeApp } from '@cache/test-utils'

// The built app (turbo builds it before `test`), run as child processes on free ports: the same
// suite on both Nest platforms, each in memory mode and in Redis mode (two processes).
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url))

for (const platform of ['express', 'fastify'] as const) {
  describeHttpContract(`nestjs (${platform})`, ({ processes, env }) =>
    startNodeApp({ entry, processes, env: { ...env, NEST_PLATFORM: platform } }),
  )
}
