import 'reflect-metadata'
import type { ServerResponse } from 'node:http'
import type { Cache } from '@cache/core'
import { CacheResponse, ResponseCacheModule } from '@cache/nestjs'
import { CacheInterceptor, CacheModule } from '@nestjs/cache-manager'
import {
  type CallHandler,
  Controller,
  type ExecutionContext,
  Get,
  type INestApplication,
  Injectable,
  Module,
  type NestInterceptor,
  Res,
  UseInterceptors,
} from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { type Observable, of, tap } from 'rxjs'
import { BODY } from './body.js'
import { FloorStore } from './miss-floor.js'
import { type HitBytes, hitOf, oursCache, type VariantSetup } from './setup.js'

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

/** The least a URL-keyed cache interceptor does on a miss: look the URL up, keep what the handler returned. */
@Injectable()
class FloorInterceptor implements NestInterceptor {
  readonly #store = new FloorStore<unknown>()

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const url = context.switchToHttp().getRequest<{ url: string }>().url
    const hit = this.#store.get(url)
    if (hit !== undefined) return of(hit)
    return next.handle().pipe(tap((value) => this.#store.set(url, value)))
  }
}

@Controller()
@UseInterceptors(FloorInterceptor)
class FloorController {
  @Get('item')
  item() {
    return BODY
  }
}

// Set before the limit app is created (the controller reads it per request).
let limitHit: HitBytes | undefined

@Controller()
class LimitController {
  // What a hit could cost at best: the stored bytes written as ours writes them, after Nest's routing.
  @Get('item')
  item(@Res() res: ServerResponse) {
    const hit = limitHit!
    res.writeHead(hit.status, hit.headers)
    res.end(hit.body)
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

@Module({ imports: [CacheModule.register({ ttl: 600_000 })], controllers: [PeerController] })
class PeerModule {}

@Module({ controllers: [LimitController] })
class LimitModule {}

@Module({ controllers: [FloorController] })
class FloorModule {}

function oursModule(cache: Cache) {
  @Module({ imports: [ResponseCacheModule.forRoot({ cache })], controllers: [OursController] })
  class OursModule {}
  return OursModule
}

/** Nest (Express platform) servers: bare, ours (memory, memory + Redis, Redis only), @nestjs/cache-manager's CacheInterceptor, the limit and the miss floor. */
export async function nestApp(variant: string, setup: VariantSetup = {}): Promise<INestApplication> {
  let module: Parameters<typeof NestFactory.create>[0]
  if (variant === 'nest-bare') module = BareModule
  else if (variant === 'nest-cache-manager') module = PeerModule
  else if (variant === 'nest-floor') module = FloorModule
  else if (variant === 'nest-ours' || variant === 'nest-ours-l2' || variant === 'nest-ours-redis')
    module = oursModule(oursCache(variant, setup))
  else if (variant === 'nest-limit') {
    limitHit = hitOf(variant, setup)
    module = LimitModule
  } else throw new Error(`unknown variant ${variant}`)
  return NestFactory.create(module, { logger: false })
}
