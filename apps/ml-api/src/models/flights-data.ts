import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** One flight of the vega dataset: departure delay (min), distance (miles), departure time (hours). */
export interface FlightRow {
  delay: number
  distance: number
  time: number
}

const require = createRequire(import.meta.url)

/**
 * Path of `data/flights-200k.json` in `vega-datasets`. The package's `exports` map blocks
 * `require.resolve` of the data file (and of `package.json`), so resolve its main entry and walk
 * up to the package directory.
 */
export function flightsDataPath(): string {
  let dir = dirname(require.resolve('vega-datasets'))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('vega-datasets: package directory not found')
    dir = parent
  }
  return join(dir, 'data', 'flights-200k.json')
}

/**
 * Reads the flights file and samples `rows` rows evenly. The file is sorted by departure time, so
 * its first rows would all be early-morning flights: a stride keeps every hour represented.
 * Returns the rows and the raw bytes (hashed into the model version).
 */
export async function loadFlights(
  rows: number,
  path = flightsDataPath(),
): Promise<{ rows: FlightRow[]; bytes: Buffer }> {
  const bytes = await readFile(path)
  const all = JSON.parse(bytes.toString('utf8')) as FlightRow[]
  if (!Array.isArray(all) || all.length === 0) throw new Error(`${path}: no rows`)
  const n = Math.min(rows, all.length)
  const stride = all.length / n
  const sample = new Array<FlightRow>(n)
  for (let i = 0; i < n; i++) {
    const r = all[Math.floor(i * stride)]!
    sample[i] = { delay: r.delay, distance: r.distance, time: r.time }
  }
  return { rows: sample, bytes }
}
