import { publicPackageBuild } from '../../tsup.shared'

export default publicPackageBuild()
