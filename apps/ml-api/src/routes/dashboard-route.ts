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

/** `GET /`: one static page (no build step, no CDN) that polls `/cache/stats`. */
export function registerDashboardRoute(app: FastifyInstance): void {
  const html = readDashboard()
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
