import { existsSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../app.js'
import { loadModels } from '../models/load-models.js'
import { type MockOpenAI, startMockOpenAI } from '../testing/mock-openai.js'

/** Debian's chromium (`apt-get install chromium`); CI installs it. */
const CHROMIUM = '/usr/bin/chromium'
/** Flags that keep a headless Chromium offline and quiet in a container. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

const hasChromium = existsSync(CHROMIUM)
if (!hasChromium) {
  console.warn(`dashboard browser test SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium)`)
}

describe.skipIf(!hasChromium)('dashboard in headless Chromium', () => {
  let app: FastifyInstance
  let upstream: MockOpenAI
  let browser: Browser
  let page: Page
  let base: string
  let navigations = 0

  beforeAll(async () => {
    const [models, mock] = await Promise.all([loadModels({ flightsRows: 1000 }), startMockOpenAI('k')])
    upstream = mock
    app = await buildApp({
      models,
      // A short sampling interval, so the server's series grows within the test.
      config: {
        upstreamBaseUrl: mock.baseUrl,
        upstreamApiKey: 'k',
        pricePer1kTokens: 10,
        historyIntervalMs: 100,
      },
    })
    base = await app.listen({ port: 0, host: '127.0.0.1' })
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
    page = await browser.newPage()
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++
    })
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await upstream?.close()
  })

  const text = (id: string) => page.locator(`#${id}`).textContent()
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  it('shows the chart with points on first load (the series is kept by the server), and a favicon', async () => {
    // The server has sampled a few times before the page is opened.
    await expect.poll(() => app.mlApi.history.points().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3)
    const favicon = page.waitForResponse((res) => res.url().endsWith('/favicon.svg'))
    await page.goto(`${base}/`)
    // Each poll draws the series the server kept (the page collects no points of its own), so
    // the chart is full from the first one on, however many a busy machine has made by now.
    await expect.poll(() => page.locator('body').getAttribute('data-polls')).toMatch(/^[1-9]\d*$/)
    const points = ((await page.locator('#ratio-line').getAttribute('points')) ?? '').split(' ')
    expect(points.length).toBeGreaterThanOrEqual(3)
    const icon = await favicon
    expect(icon.status()).toBe(200)
    expect(icon.headers()['content-type']).toContain('image/svg+xml')
  })

  it('shows live figures per model and a chart, refreshed without reloading', async () => {
    await page.goto(`${base}/`)
    await expect.poll(() => text('status')).toBe('live')
    expect(await text('items-computed')).toBe('0')
    expect(await text('backend')).toBe('memory')

    const rows = {
      inputs: [
        { distance: 300, hour: 9 },
        { distance: 1900, hour: 17 },
      ],
    }
    await post('/v1/predict/flight-delay', rows)
    await post('/v1/predict/flight-delay', rows)
    await post('/v1/predict/flight-delay', rows)
    await post('/v1/embeddings', { input: ['paid once', 'paid twice'] })
    await post('/v1/embeddings', { input: ['paid once', 'paid twice'] })

    await expect.poll(() => text('items-served'), { timeout: 30_000 }).toBe('6')
    expect(await text('items-computed')).toBe('4')
    expect(await text('hit-ratio')).toBe('60.0 %')
    expect(await text('time-saved')).toMatch(/s$/)
    expect(await text('tokens-saved')).toBe('4')
    expect(await text('money-saved')).toBe('$0.04000')

    const flights = page.locator('tr[data-model="flight-delay-knn"] td')
    await expect
      .poll(() => flights.allTextContents())
      .toEqual(expect.arrayContaining(['flight-delay-knn', '3', '6', '66.7 %', '4', '2']))
    const paid = page.locator('tr[data-model="text-embedding-3-small"] td')
    expect(await paid.last().textContent()).toBe('$0.04000')

    // The chart grows with the polls: a point per poll on the ratio line, bars for the items.
    await expect
      .poll(
        async () => ((await page.locator('#ratio-line').getAttribute('points')) ?? '').split(' ').length,
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThan(2)
    expect(await page.locator('#bars rect').count()).toBeGreaterThan(0)
    await expect
      .poll(async () => Number(await page.locator('body').getAttribute('data-polls')), { timeout: 30_000 })
      .toBeGreaterThan(2)
    expect(navigations).toBe(2)
  })
})
