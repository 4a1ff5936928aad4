// Builds the public packages with turbo and packs them as npm would publish them.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { run } from './exec.mjs'

/** The public packages (npm name -> folder under the repo root). */
export const PUBLIC_PACKAGES = {
  '@cache/core': 'packages/core',
  '@cache/express': 'packages/express',
  '@cache/fastify': 'packages/fastify',
  '@cache/nestjs': 'packages/nestjs',
  '@cache/ops': 'packages/ops',
  '@cache/cli': 'packages/cli',
  '@cache/prometheus': 'packages/prometheus',
  '@cache/opentelemetry': 'packages/opentelemetry',
}

/** Runs the build of the public packages (turbo: a no-op when `npm test` has just built them). */
export async function buildPackages(root) {
  const filters = Object.keys(PUBLIC_PACKAGES).map((name) => `--filter=${name}`)
  await run('npx', ['turbo', 'run', 'build', ...filters, '--output-logs=errors-only'], { cwd: root })
}

/**
 * Packs every public package into `destination` (one npm run for all of them).
 * @returns {Promise<Map<string, string>>} npm name -> tarball path
 */
export async function packPackages(root, destination) {
  const workspaces = Object.keys(PUBLIC_PACKAGES).flatMap((name) => ['-w', name])
  // With the packages' prepack scripts (the LICENSE copy), as `npm publish` runs them.
  const args = ['pack', '--json', '--pack-destination', destination, ...workspaces]
  const { stdout } = await run('npm', args, { cwd: root })
  return new Map(JSON.parse(stdout).map((packed) => [packed.name, join(destination, packed.filename)]))
}

/** The peerDependencies of each public package, as its package.json says. */
export async function peerRangesOf(root) {
  const ranges = {}
  for (const [name, dir] of Object.entries(PUBLIC_PACKAGES)) {
    const manifest = JSON.parse(await readFile(join(root, dir, 'package.json'), 'utf8'))
    ranges[name] = manifest.peerDependencies ?? {}
  }
  return ranges
}
