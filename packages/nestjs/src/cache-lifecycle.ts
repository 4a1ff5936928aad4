import type { AdapterCache } from '@cache/core/http/adapter'
import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common'
import type { ModulesContainer } from '@nestjs/core'
import { scopeOwners } from './cache-scope.js'
import type { NestRequest } from './tokens.js'

const logger = new Logger('ResponseCache')

/**
 * The lifecycle of one `ResponseCacheModule`'s cache, as a provider of the module: at boot
 * (`onModuleInit`, which `app.init()` and `app.listen()` await) it checks which cache serves
 * which routes and waits for the cache to be ready; at shutdown (`onApplicationShutdown`, which
 * `app.close()` calls after the server has closed, with or without `enableShutdownHooks()`) it
 * closes the cache when the module owns it.
 */
export class ResponseCacheLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly adapter: AdapterCache<NestRequest>,
    private readonly modules: ModulesContainer,
  ) {}

  async onModuleInit(): Promise<void> {
    try {
      scopeOwners(this.modules)
    } catch (error) {
      // The app does not start: a cache the module owns must not keep the process alive.
      await this.adapter.close()
      throw error
    }
    await this.adapter.ready((message) => logger.warn(message))
  }

  async onApplicationShutdown(): Promise<void> {
    await this.adapter.close()
  }
}
