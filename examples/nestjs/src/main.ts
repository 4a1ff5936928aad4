import 'reflect-metadata'
import type { INestApplication, NestApplicationOptions } from '@nestjs/common'
import { HttpAdapterHost, NestFactory } from '@nestjs/core'
import { AppModule } from './app.module.js'
import { ErrorsFilter } from './errors.filter.js'

// NEST_PLATFORM=express (default) or fastify: the same module on either platform.
const platform = process.env.NEST_PLATFORM ?? 'express'
const options: NestApplicationOptions = { forceCloseConnections: true, logger: ['error', 'warn'] }

let app: INestApplication
if (platform === 'fastify') {
  const { FastifyAdapter } = await import('@nestjs/platform-fastify')
  // Long enough for the contract suite's 6,000-character item id (Fastify's default is 100).
  app = await NestFactory.create(
    AppModule,
    new FastifyAdapter({ routerOptions: { maxParamLength: 8192 } }),
    options,
  )
} else if (platform === 'express') {
  const { ExpressAdapter } = await import('@nestjs/platform-express')
  app = await NestFactory.create(AppModule, new ExpressAdapter(), options)
} else {
  throw new Error(`NEST_PLATFORM must be express or fastify, not ${JSON.stringify(platform)}`)
}

app.useGlobalFilters(new ErrorsFilter(app.get(HttpAdapterHost)))
app.enableShutdownHooks()

const host = process.env.HOST ?? '127.0.0.1'
await app.listen(Number(process.env.PORT ?? 3000), host)
const mode = process.env.REDIS_URL ? 'redis' : 'memory'
console.log(`example-nestjs (${platform}) listening on ${await app.getUrl()} (${mode})`)
