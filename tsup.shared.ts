import { defineConfig } from 'tsup'

/** The build of every public package: ESM + CJS with type declarations, for Node 20+. */
export function publicPackageBuild(entry: Record<string, string> = { index: 'src/index.ts' }) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    splitting: true,
    treeshake: true,
  })
}
