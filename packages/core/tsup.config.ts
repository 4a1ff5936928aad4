import { publicPackageBuild } from '../../tsup.shared'

export default {
  ...publicPackageBuild({
    index: 'src/index.ts',
    redis: 'src/redis.ts',
    keyv: 'src/keyv.ts',
    http: 'src/http.ts',
    'http-adapter': 'src/http-adapter.ts',
    layout: 'src/layout.ts',
    trace: 'src/trace.ts',
    plugin: 'src/plugin.ts',
  }),
  // require-peer.ts resolves optional peers from `import.meta.url`; the CJS build needs the shim.
  shims: true,
}
