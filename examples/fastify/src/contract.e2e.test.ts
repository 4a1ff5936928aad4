import { fileURLToPath } from 'node:url'
// Relative until `@cache/test-utils` exports the contract suite from its root.
import { describeHttpContract, startNodeApp } from '../../../packages/test-utils/src/http-contract/index.js'

// The built app (turbo builds it before `test`), run as child processes on free ports.
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url))

describeHttpContract('fastify', (env) => startNodeApp({ entry, ...env }))
