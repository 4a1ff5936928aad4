import type { Cache } from '@cache/core'
import { RESPONSE_CACHE } from '@cache/nestjs'
import { Inject, Injectable } from '@nestjs/common'

/** Handler invocations per route and item versions, in this process. */
@Injectable()
export class AppState {
  readonly calls: Record<string, number> = {}
  readonly versions = new Map<string, number>()

  constructor(@Inject(RESPONSE_CACHE) private readonly cache: Cache) {}

  count(route: string): number {
    this.calls[route] = (this.calls[route] ?? 0) + 1
    return this.calls[route]
  }

  /** The bus counters and whether it is subscribed, or null without a bus. */
  bus(): { published: number; received: number; subscribed: boolean } | null {
    const bus = this.cache.stats().bus
    return bus ? { ...bus, subscribed: this.cache.health().tiers.remote?.bus?.connected === true } : null
  }

  async reset(): Promise<void> {
    for (const name of Object.keys(this.calls)) delete this.calls[name]
    this.versions.clear()
    await this.cache.clear()
  }
}
