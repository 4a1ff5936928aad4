import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { FlightDelayModel } from './flight-delay-model.js'
import { flightsDataPath, loadFlights } from './flights-data.js'

describe('flights data', () => {
  it('is found although vega-datasets does not export its data files', () => {
    expect(flightsDataPath()).toMatch(/vega-datasets[/\\]data[/\\]flights-200k\.json$/)
    expect(existsSync(flightsDataPath())).toBe(true)
  })

  it('is sampled evenly over the day (the file is sorted by time)', async () => {
    const { rows } = await loadFlights(1000)
    expect(rows).toHaveLength(1000)
    const hours = rows.map((r) => r.time)
    expect(Math.min(...hours)).toBeLessThan(1)
    expect(Math.max(...hours)).toBeGreaterThan(22)
  })
})

describe('FlightDelayModel (k-NN)', () => {
  it('derives its version from the data and the settings', async () => {
    const [a, b, c, d] = await Promise.all([
      FlightDelayModel.load({ rows: 1000, k: 5 }),
      FlightDelayModel.load({ rows: 1000, k: 5 }),
      FlightDelayModel.load({ rows: 1200, k: 5 }),
      FlightDelayModel.load({ rows: 1000, k: 7 }),
    ])
    expect(a.version).toMatch(/^[0-9a-f]{16}$/)
    expect(b.version).toBe(a.version)
    expect(c.version).not.toBe(a.version)
    expect(d.version).not.toBe(a.version)
    expect(a.settings).toEqual({ rows: 1000, k: 5 })
  })

  it('answers every row in order, the same alone or in a batch', async () => {
    const model = await FlightDelayModel.load({ rows: 2000, k: 15 })
    const rows = [
      { distance: 300, hour: 6 },
      { distance: 2500, hour: 19.5 },
      { distance: 900, hour: 12 },
    ]
    const batch = await model.predict(rows)
    expect(batch).toHaveLength(3)
    for (const [i, row] of rows.entries()) {
      const [alone] = await model.predict([row])
      expect(alone).toEqual(batch[i])
      expect(batch[i]!.value.neighbors).toBe(15)
      expect(batch[i]!.value.probabilityDelayed).toBeGreaterThanOrEqual(0)
      expect(batch[i]!.value.probabilityDelayed).toBeLessThanOrEqual(1)
      expect(Number.isFinite(batch[i]!.value.delayMinutes)).toBe(true)
    }
    // Evening departures inherit the day's delays: the data says so, and so should the model.
    const [morning, evening] = await model.predict([
      { distance: 1000, hour: 7 },
      { distance: 1000, hour: 20 },
    ])
    expect(evening!.value.delayMinutes).toBeGreaterThan(morning!.value.delayMinutes)
  })
})
