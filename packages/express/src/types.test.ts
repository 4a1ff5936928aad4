import { createCache } from '@cache/core'
import express, { type Request, type RequestHandler } from 'express'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { responseCache } from './index.js'

// Compiled by `tsc --noEmit` (the package's typecheck): a typing regression fails it.
describe('responseCache types (Express 5)', () => {
  it('leaves the handlers after it the route’s params (typed from the path)', () => {
    const rc = responseCache({ cache: createCache() })
    const app = express()
    app.get('/p/:id', rc.route({ ttl: '1m' }), (req, res) => {
      expectTypeOf(req.params.id).toEqualTypeOf<string>()
      res.json({ id: req.params.id })
    })
    app.get('/q/:slug', rc, (req, res) => {
      expectTypeOf(req.params.slug).toEqualTypeOf<string>()
      res.end()
    })
    // It still fits where a plain RequestHandler is expected.
    const plain: RequestHandler = rc.route()
    app.use(rc, plain)
    expect(typeof rc.route).toBe('function')
  })

  it('gives the callbacks the params named with route<P>() or responseCache<P>(), or annotated', () => {
    const rc = responseCache({ cache: createCache() })
    rc.route<{ id: string }>({
      tags: (req) => {
        expectTypeOf(req.params.id).toEqualTypeOf<string>()
        return [req.params.id]
      },
    })
    responseCache<{ slug: string }>({
      cache: createCache(),
      key: (req) => expectTypeOf(req.params.slug).toEqualTypeOf<string>(),
    })
    rc.route({ tags: (req: Request<{ id: string }>) => [req.params.id] })
    // Unnamed, they see Express's own dictionary.
    rc.route({ key: (req) => expectTypeOf(req.params).toEqualTypeOf<Request['params']>() })
  })
})
