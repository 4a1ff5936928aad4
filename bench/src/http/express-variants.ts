import { createCache } from '@cache/core'
import { responseCache } from '@cache/express'
// @ts-expect-error apicache ships no types
import apicache from 'apicache'
import express from 'express'
import { BODY } from './body.js'
import { FloorStore } from './miss-floor.js'
import { hitOf, oursCache, type VariantSetup } from './setup.js'

/**
 * Express servers: the bare framework, ours (both freshness modes; memory, memory + Redis,
 * Redis only), apicache, the limit (a hit's bytes replayed) and the miss floor (a bare
 * URL-keyed cache), all returning the same body.
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
    case 'express-floor': {
      // The least a URL-keyed cache does on a miss: look the URL up, keep the bytes `send` sends.
      // `send` is wrapped once on the app's response prototype (a property set on each response
      // would cost Express a hidden class per response), and finds its URL in a WeakMap.
      const store = new FloorStore<Buffer>()
      const pending = new WeakMap<object, string>()
      const proto = app.response as express.Response
      const send = proto.send
      proto.send = function (this: express.Response, body: unknown) {
        const url = pending.get(this)
        if (url !== undefined && (typeof body === 'string' || Buffer.isBuffer(body))) {
          pending.delete(this)
          store.set(url, Buffer.from(body))
        }
        return send.call(this, body)
      }
      app.get(
        '/item',
        (req, res, next) => {
          const hit = store.get(req.originalUrl)
          if (hit !== undefined) {
            res.type('json').end(hit)
            return
          }
          pending.set(res, req.originalUrl)
          next()
        },
        handler,
      )
      break
    }
    default:
      throw new Error(`unknown variant ${variant}`)
  }
  return app
}
