import { defineConfig } from 'tsup'

/**
 * The build of every public package: one CommonJS implementation with type declarations, for
 * Node 20+, and an ESM entry beside each entry point that re-exports it (scripts/esm-entries.mjs, run by
 * each package's `build` script after tsup).
 * One implementation instead of two builds: an app that both imports and requires a package (a
 * Nest app compiled to CommonJS with an ESM plugin, Jest beside Node) loads one copy, and the
 * tarball carries the code once.
 *
 * No source maps: they would ship pointers to `src/` files the tarball does not contain (or embed
 * those sources, most of the tarball), and the output is plain, unminified code to read in a
 * stack trace.
 *
 * Declarations are built against the other packages' built declarations, as a consumer sees them:
 * the `@cache/source` condition of tsconfig.base.json (source, for typecheck and tests) is off.
 */
export function publicPackageBuild(entry: Record<string, string> = { index: 'src/index.ts' }) {
  return defineConfig({
    entry,
    format: ['cjs'],
    dts: { compilerOptions: { customConditions: [] } },
    clean: true,
    sourcemap: false,
    target: 'node20',
    splitting: true,
    treeshake: true,
  })
}
