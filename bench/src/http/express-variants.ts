import { createCache } from '@cache/core'
import { responseCache } from '@cache/express'
// @ts-expect-error apicache ships no types
import apicache from 'apicache'
import express from 'express'
import { BODY } from './body.js'
import { hitOf, oursCache, type VariantSetup } from './setup.js'

/**
 * Express servers: the bare framework, ours (both freshness modes; memory, memory + Redis,
 * Redis only), apicache, and the limit (a hit's bytes replayed), all returning the same body.
 */
export function expressApp(variant: string, setup: VariantSetup = {}): express.Express {
  const app = express()
  app.disable('x-powered-by')
  const handler = (_req: express.Request, res: express.Response) => {
    res.send(BODY)
  }
  switch (variant) {
    case 'express-bare':
      app.get('/item', handler)
      break
    case 'express-ours':
    case 'express-ours-l2':
    case 'express-ours-redis': {
      const rc = responseCache({ cache: oursCache(variant, setup), ttl: '10m' })
      app.get('/item', rc, handler)
      break
    }
    case 'express-ours-origin': {
      // Freshness from the handler's own header, as a CDN would read it.
      const rc = responseCache({ cache: createCache({ ttl: '10m' }), freshness: 'origin' })
      app.get('/item', rc, (_req, res) => {
        res.set('cache-control', 'public, max-age=600').send(BODY)
      })
      break
    }
    case 'express-apicache':
      app.get('/item', apicache.middleware('10 minutes'), handler)
      break
    case 'express-limit': {
      // What a hit could cost at best: the stored bytes written as ours writes them, after routing.
      const hit = hitOf(variant, setup)
      app.get('/item', (_req, res) => {
        res.writeHead(hit.status, hit.headers)
        res.end(hit.body)
      })
      break
    }
    default:
      throw new Error(`unknown variant ${variant}`)
  }
  return app
}
