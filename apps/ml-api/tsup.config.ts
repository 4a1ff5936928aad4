import { copyFile } from 'node:fs/promises'
import { defineConfig } from 'tsup'

// `main` is what `npm start` runs; `index` is buildApp & co. for benchmarks. The dashboard page is
// read at run time from next to the bundle, so it is copied there.
export default defineConfig({
  entry: { main: 'src/main.ts', index: 'src/index.ts' },
  format: ['esm'],
  target: 'node20',
  clean: true,
  sourcemap: true,
  async onSuccess() {
    await copyFile('src/dashboard/dashboard.html', 'dist/dashboard.html')
  },
})
