/// <reference path="../types/ml-knn.d.ts" />
// (The reference makes the declaration travel with this file when another package type-checks it.)
import { createHash } from 'node:crypto'
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import KNN from 'ml-knn'
import { type FlightRow, loadFlights } from './flights-data.js'
import type { ComputedItem, Model } from './model.js'
import { modelVersion } from './model-version.js'

/** Id of the flight-delay model. */
export const FLIGHT_DELAY_ID = 'flight-delay-knn'

/** A departure to estimate: distance in miles, scheduled departure hour (0 ≤ hour < 24, fractions allowed). */
export interface FlightInput {
  distance: number
  hour: number
}

/** The estimate for one departure, from its k nearest flights of the data set. */
export interface FlightPrediction {
  /** Mean departure delay of the neighbours, in minutes (negative: early). */
  delayMinutes: number
  /** Share of neighbours delayed by more than 15 minutes (the FAA's definition of late). */
  probabilityDelayed: number
  /** Neighbours the estimate is made of. */
  neighbors: number
}

/** Settings of the flight-delay model. */
export interface FlightDelaySettings {
  /** Rows sampled from the 200k of the data set. */
  rows: number
  /** Neighbours per estimate. */
  k: number
}

/** Late means more than this many minutes (FAA). */
const LATE_MINUTES = 15
/** Longest stretch of synchronous k-NN work before letting other requests run. */
const YIELD_EVERY_MS = 10

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits

/**
 * Flight-delay estimate by k-NN (`ml-knn`) over real US flights (`vega-datasets`,
 * `flights-200k.json`). Features are scaled by their standard deviation so that miles do not
 * drown hours. CPU-bound and synchronous: about 10 ms per row at 50k rows on one core, which is
 * what makes it worth caching. `predict` yields to the event loop every few ms so a large batch
 * does not freeze the other requests.
 */
export class FlightDelayModel implements Model<FlightInput, FlightPrediction> {
  readonly id = FLIGHT_DELAY_ID
  readonly kind = 'tabular' as const
  readonly description = 'Flight departure delay by k-NN over the vega US flights data (distance, hour)'
  readonly pricePer1kTokens = 0
  readonly paid = false
  readonly version: string
  readonly settings: Readonly<Record<string, number>>
  readonly #knn: KNN
  readonly #scale: { distance: number; hour: number }

  private constructor(rows: FlightRow[], settings: FlightDelaySettings, version: string) {
    this.settings = { rows: rows.length, k: settings.k }
    this.version = version
    this.#scale = { distance: std(rows.map((r) => r.distance)), hour: std(rows.map((r) => r.time)) }
    const points = rows.map((r) => this.#features(r.distance, r.time))
    this.#knn = new KNN(
      points,
      rows.map((r) => r.delay),
      { k: settings.k },
    )
  }

  /** Reads the data, samples `rows` rows and fits the model; the version hashes the file and the settings. */
  static async load(settings: FlightDelaySettings): Promise<FlightDelayModel> {
    const { rows, bytes } = await loadFlights(settings.rows)
    const digest = createHash('sha256').update(bytes).digest('hex')
    const version = modelVersion(digest, { rows: rows.length, k: settings.k })
    return new FlightDelayModel(rows, settings, version)
  }

  #features(distance: number, hour: number): number[] {
    return [distance / this.#scale.distance, hour / this.#scale.hour]
  }

  async predict(inputs: readonly FlightInput[]): Promise<ComputedItem<FlightPrediction>[]> {
    const out: ComputedItem<FlightPrediction>[] = []
    let slice = performance.now()
    for (const input of inputs) {
      out.push({ value: this.predictOne(input), tokens: 0 })
      if (performance.now() - slice > YIELD_EVERY_MS) {
        await yieldToLoop()
        slice = performance.now()
      }
    }
    return out
  }

  /** The estimate for one departure (synchronous). */
  predictOne(input: FlightInput): FlightPrediction {
    const nearest = this.#knn.kdTree.nearest(this.#features(input.distance, input.hour), this.#knn.k)
    let sum = 0
    let late = 0
    for (const [point] of nearest) {
      // ml-knn appends the label (the delay) to each stored point.
      const delay = point[point.length - 1]!
      sum += delay
      if (delay > LATE_MINUTES) late++
    }
    const n = nearest.length
    return {
      delayMinutes: n === 0 ? 0 : round(sum / n, 2),
      probabilityDelayed: n === 0 ? 0 : round(late / n, 4),
      neighbors: n,
    }
  }
}

function std(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length
  // A constant column would divide by zero; 1 leaves it unscaled.
  return variance > 0 ? Math.sqrt(variance) : 1
}
