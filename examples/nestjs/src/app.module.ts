import { RedisStore } from '@cache/core/redis'
import { ResponseCacheModule } from '@cache/nestjs'
import { Module } from '@nestjs/common'
import { AppState } from './app-state.service.js'
import { DemoController } from './demo.controller.js'
import { ItemsController } from './items.controller.js'

@Module({
  imports: [
    ResponseCacheModule.forRootAsync({
      // Redis as L2 + invalidation bus when REDIS_URL is set, memory only otherwise.
      // REDIS_KEY_PREFIX isolates test runs that share one Redis server. Given the options of a
      // cache, the module creates it, waits for it at boot and closes it on app.close().
      useFactory: () => ({
        cache: {
          namespace: 'example',
          store: process.env.REDIS_URL
            ? new RedisStore({ url: process.env.REDIS_URL, keyPrefix: process.env.REDIS_KEY_PREFIX })
            : undefined,
        },
        // Defaults of every cached route. Bodies over 4 KB pass through uncached (small on
        // purpose, so the contract suite can show it with a long item id).
        ttl: '60s',
        maxEntryBytes: '4kb',
      }),
    }),
  ],
  controllers: [ItemsController, DemoController],
  providers: [AppState],
})
export class AppModule {}
