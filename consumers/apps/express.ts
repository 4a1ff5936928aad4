// The Express consumer app (Express 4 and 5, ESM and CommonJS): the routes the runner checks.
import { responseCache } from '@cache/express'
import express from 'express'
import { AppState, announce, appCache, bearer, closeOnSigterm, portOf } from './common.js'

const cache = appCache()
const rc = responseCache({ cache, ttl: '60s' })
const state = new AppState()

const app = express()

app.get('/items/:id', rc.route({ tags: (req) => [`item:${req.params.id}`] }), (req, res) => {
  // The path's params stay typed through the cache middleware: `id` only.
  // @ts-expect-error `nope` is not a parameter of '/items/:id'
  void req.params.nope
  const id: string = req.params.id
  res.json(state.item(id))
})

// A 2xx mutation through the cache drops the cached GETs of its path.
app.put('/items/:id', rc.route(), (req, res) => {
  res.json(state.update(req.params.id))
})

// Another path: only the tag reaches /items/:id.
app.post('/invalidate/:id', (req, res, next) => {
  rc.invalidate({ tags: [`item:${req.params.id}`] }).then(
    () => res.json({ invalidated: req.params.id }),
    next,
  )
})

app.get('/me', rc.route({ varyBy: { user: (req) => bearer(req.headers.authorization) } }), (req, res) => {
  res.json({ user: bearer(req.headers.authorization) ?? null, calls: state.count('me') })
})

const server = app.listen(0, '127.0.0.1', () => announce(portOf(server)))

closeOnSigterm(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
  await cache.close()
})
