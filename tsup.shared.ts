import { defineConfig } from 'tsup'

/**
 * The build of every public package: ESM + CJS with type declarations, for Node 20+.
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
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { customConditions: [] } },
    clean: true,
    sourcemap: false,
    target: 'node20',
    splitting: true,
    treeshake: true,
  })
}
