import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'

/**
 * The dashboard page. Next to this module in `src/dashboard/`; the build copies it next to
 * `dist/main.js`, which is where `import.meta.url` points once bundled.
 */
function readDashboard(): string {
  const candidates = [
    new URL('./dashboard.html', import.meta.url),
    new URL('../dashboard/dashboard.html', import.meta.url),
  ]
  for (const url of candidates) {
    try {
      return readFileSync(url, 'utf8')
    } catch {
      // Try the next location.
    }
  }
  throw new Error('dashboard.html not found next to the app')
}

/** The dashboard's icon: a bar chart, in the page's colours. */
const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="#0f1419"/>
<rect x="6" y="14" width="5" height="12" fill="#3fb984"/>
<rect x="13.5" y="8" width="5" height="18" fill="#5aa9e6"/>
<rect x="21" y="18" width="5" height="8" fill="#e8a33d"/>
</svg>
`

/**
 * `GET /`: one static page (no build step, no CDN) that polls `/cache/stats` and the server's
 * rolling series; `GET /favicon.svg` (and `/favicon.ico`, which browsers ask for unprompted) its icon.
 */
export function registerDashboardRoute(app: FastifyInstance): void {
  const html = readDashboard()
  for (const url of ['/favicon.svg', '/favicon.ico']) {
    app.get(url, { schema: { hide: true } }, async (_request, reply) =>
      reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON),
    )
  }
  app.get('/', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      // The page loads nothing from elsewhere: say so, so an injected script could not either.
      .header(
        'content-security-policy',
        "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
      )
      .header('cache-control', 'no-cache')
      .send(html),
  )
}
