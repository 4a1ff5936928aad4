import { CacheResponse, InvalidateTags } from '@cache/nestjs'
import { Controller, Get, Inject, Param, Put } from '@nestjs/common'
import { AppState } from './app-state.service.js'

@Controller('items')
export class ItemsController {
  constructor(@Inject(AppState) private readonly state: AppState) {}

  // Cached 60 s (the module's default), tagged with the item.
  @Get(':id')
  @CacheResponse({ tags: (req) => [`item:${req.params.id}`] })
  find(@Param('id') id: string) {
    return { id, version: this.state.versions.get(id) ?? 0, calls: this.state.count('items') }
  }

  // After a 2xx, the item's tag is invalidated (in every process, with Redis) before the response goes out.
  @Put(':id')
  @InvalidateTags((req) => [`item:${req.params.id}`])
  update(@Param('id') id: string) {
    const version = (this.state.versions.get(id) ?? 0) + 1
    this.state.versions.set(id, version)
    return { id, version }
  }
}
