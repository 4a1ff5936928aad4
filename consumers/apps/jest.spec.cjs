// A Nest app's test under Jest, as `nest new` sets one up: CommonJS, run by Jest's own module
// runtime, which cannot require() an ES module. The packages must load there as CommonJS.
require('reflect-metadata')
const { request } = require('node:http')
const { Controller, Get, Module } = require('@nestjs/common')
const { NestFactory } = require('@nestjs/core')
const { createCache, isCacheError } = require('@cache/core')
const { CacheResponse, ResponseCacheModule } = require('@cache/nestjs')

// The decorators a TypeScript controller would carry, applied by hand (this file is plain JS).
class ItemsController {
  calls = 0
  item() {
    return { calls: ++this.calls }
  }
}
const method = Object.getOwnPropertyDescriptor(ItemsController.prototype, 'item')
CacheResponse({ ttl: '60s' })(ItemsController.prototype, 'item', method)
Get('item')(ItemsController.prototype, 'item', method)
Controller()(ItemsController)
class AppModule {}
Module({ imports: [ResponseCacheModule.forRoot({ cache: {} })], controllers: [ItemsController] })(AppModule)

function get(port, path) {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode, xCache: res.headers['x-cache'], body }))
    })
      .on('error', reject)
      .end()
  })
}

test('@cache/core loads under Jest and caches a value', async () => {
  const cache = createCache({ namespace: 'jest' })
  await cache.set('k', { a: 1 })
  expect(await cache.get('k')).toEqual({ a: 1 })
  await cache.close()
  let error
  try {
    createCache({ ttl: 'soon' })
  } catch (thrown) {
    error = thrown
  }
  expect(isCacheError(error)).toBe(true)
})

test('@cache/nestjs caches a route of a Nest app under Jest', async () => {
  const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false })
  try {
    await app.listen(0, '127.0.0.1')
    const { port } = app.getHttpServer().address()
    const first = await get(port, '/item')
    const second = await get(port, '/item')
    expect(first.status).toBe(200)
    expect(first.xCache).toBe('MISS')
    expect(second.xCache).toBe('HIT')
    expect(JSON.parse(second.body)).toEqual({ calls: 1 })
  } finally {
    await app.close()
  }
})
