import { publicPackageBuild } from '../../tsup.shared'

export default publicPackageBuild({ index: 'src/index.ts', tooling: 'src/tooling.ts' })
