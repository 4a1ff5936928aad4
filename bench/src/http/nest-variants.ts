import 'reflect-metadata'
import { createCache } from '@cache/core'
import { CacheResponse, ResponseCacheModule } from '@cache/nestjs'
import { CacheInterceptor, CacheModule } from '@nestjs/cache-manager'
import { Controller, Get, type INestApplication, Module, UseInterceptors } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { BODY } from './body.js'

@Controller()
class BareController {
  @Get('item')
  item() {
    return BODY
  }
}

@Controller()
class OursController {
  @Get('item')
  @CacheResponse({ ttl: '10m' })
  item() {
    return BODY
  }
}

@Controller()
@UseInterceptors(CacheInterceptor)
class PeerController {
  @Get('item')
  item() {
    return BODY
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

@Module({
  imports: [ResponseCacheModule.forRoot({ cache: createCache({ ttl: '10m' }) })],
  controllers: [OursController],
})
class OursModule {}

@Module({ imports: [CacheModule.register({ ttl: 600_000 })], controllers: [PeerController] })
class PeerModule {}

/** Nest (Express platform) servers: bare, ours, and @nestjs/cache-manager's CacheInterceptor. */
export async function nestApp(variant: string): Promise<INestApplication> {
  const module = { 'nest-bare': BareModule, 'nest-ours': OursModule, 'nest-cache-manager': PeerModule }[
    variant
  ]
  if (!module) throw new Error(`unknown variant ${variant}`)
  return NestFactory.create(module, { logger: false })
}
