import { defineConfig } from 'tsup'

/**
 * The build of every public package, for Node 20+: one CommonJS build with type declarations
 * (`.cjs` + `.d.cts`); then scripts/write-esm-wrappers.mjs gives each entry an ES module wrapper
 * (`.js` re-exporting it, `.d.ts` a copy of its declarations).
 *
 * One build instead of two: an app whose code imports a package while a dependency requires it
 * gets one copy of each class and registry (`instanceof CacheError` holds across both, a cache
 * created through one is the cache the other sees): the ES module wrapper answer to Node's "dual
 * package hazard". It also halves the tarball. Named imports work because Node detects the names
 * of esbuild's CommonJS exports statically.
 *
 * No source maps: they would ship pointers to `src/` files the tarball does not contain, and
 * the `.cjs` files are plain, unminified code to read in a stack trace.
 */
export function publicPackageBuild(entry: Record<string, string> = { index: 'src/index.ts' }) {
  return defineConfig({
    entry,
    format: ['cjs'],
    dts: true,
    clean: true,
    sourcemap: false,
    target: 'node20',
    splitting: true,
    treeshake: true,
  })
}
