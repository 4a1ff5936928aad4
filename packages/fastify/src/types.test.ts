import type { HttpCache, RouteCacheOptions } from '@cache/core/http'
import Fastify, { type FastifyContextConfig, type FastifyRequest } from 'fastify'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { responseCachePlugin } from './index.js'

type ItemRoute = { Params: { id: string } }

// Compiled by `tsc --noEmit` (the package's typecheck): a typing regression fails it.
describe('responseCachePlugin types', () => {
  it('route callbacks may annotate the route’s own request (Fastify cannot infer it in config)', async () => {
    const app = Fastify()
    await app.register(responseCachePlugin, { cache: {} })
    app.get<ItemRoute>(
      '/items/:id',
      {
        config: {
          responseCache: {
            tags: (req: FastifyRequest<ItemRoute>) => [`item:${req.params.id}`],
            varyBy: {
              user: (req: FastifyRequest<{ Headers: { 'x-user'?: string } }>) => req.headers['x-user'],
            },
          },
        },
      },
      async (req) => ({ id: req.params.id }),
    )
    // Unannotated, a callback sees Fastify's default request, whose params are unknown.
    const options: RouteCacheOptions<FastifyRequest> = {
      key: (req) => expectTypeOf(req.params).toEqualTypeOf<unknown>(),
    }
    expect((await app.inject('/items/1')).json()).toEqual({ id: '1' })
    // The decorator and the route config are typed by the plugin's module augmentation.
    expectTypeOf(app.responseCache).toEqualTypeOf<HttpCache<FastifyRequest>>()
    expectTypeOf<FastifyContextConfig['responseCache']>().toEqualTypeOf<
      RouteCacheOptions<FastifyRequest> | false | undefined
    >()
    expect(options.key).toBeTypeOf('function')
    await app.close()
  })
})
