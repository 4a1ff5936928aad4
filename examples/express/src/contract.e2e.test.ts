import { fileURLToPath } from 'node:url'
import { describeHttpContract, startNodeApp } from '@cache/test-utils'

// The built app (turbo builds it before `test`), run as child processes on free ports.
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url))

describeHttpContract('express', (env) => startNodeApp({ entry, ...env }))
