import { defineConfig } from 'tsup'

// A command, not a library: ESM only, no type declarations; dependencies stay external.
export default defineConfig({
  entry: { cachectl: 'src/cachectl.ts' },
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'node20',
})
