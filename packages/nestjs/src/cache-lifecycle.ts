import type { AdapterCache } from '@cache/core/http'
import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common'
import type { NestRequest } from './tokens.js'

const logger = new Logger('ResponseCache')

/**
 * The lifecycle of one `ResponseCacheModule`'s cache, as a provider of the module: at boot
 * (`onModuleInit`, which `app.init()` and `app.listen()` await) it waits for the cache to be
 * ready; at shutdown (`onApplicationShutdown`, which `app.close()` calls after the server has
 * closed, with or without `enableShutdownHooks()`) it closes the cache when the module owns it.
 */
export class ResponseCacheLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly adapter: AdapterCache<NestRequest>) {}

  async onModuleInit(): Promise<void> {
    await this.adapter.ready((message) => logger.warn(message))
  }

  async onApplicationShutdown(): Promise<void> {
    await this.adapter.close()
  }
}
