import { defineConfig } from 'tsup'

// A command, not a library: ESM only, no type declarations; dependencies stay external.
export default defineConfig({
  entry: { cachectl: 'src/cachectl.ts' },
  format: ['esm'],
  clean: true,
  // No source maps: they would ship pointers to src/ files the tarball does not contain.
  sourcemap: false,
  target: 'node20',
})
