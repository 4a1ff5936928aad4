import type { Cluster, Redis } from 'ioredis'
import type { BusEnvelope, InvalidationBus } from './invalidation-bus.js'

/**
 * The invalidation bus over Redis pub/sub, on a connection of its own (a subscribed connection
 * cannot run other commands). ioredis reconnects it by itself and re-subscribes; while it is
 * down, L1 staleness is bounded by `memory.maxTtl`.
 */
export class RedisBus implements InvalidationBus {
  readonly #publisher: Redis | Cluster
  readonly #subscriber: Redis | Cluster
  readonly #channel: string
  readonly #listeners: ((connected: boolean) => void)[] = []
  #connected = false

  constructor(client: Redis | Cluster, channel: string) {
    this.#publisher = client
    this.#channel = channel
    this.#subscriber = client.duplicate()
    this.#subscriber.on('error', () => {})
    this.#subscriber.on('ready', () => this.#setConnected(true))
    this.#subscriber.on('close', () => this.#setConnected(false))
  }

  get connected(): boolean {
    return this.#connected
  }

  onConnectionChange(listener: (connected: boolean) => void): void {
    this.#listeners.push(listener)
  }

  #setConnected(connected: boolean): void {
    if (connected === this.#connected) return
    this.#connected = connected
    for (const l of this.#listeners) l(connected)
  }

  async publish(envelope: BusEnvelope): Promise<void> {
    await this.#publisher.publish(this.#channel, JSON.stringify(envelope))
  }

  async subscribe(handler: (envelope: BusEnvelope) => void): Promise<void> {
    this.#subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.#channel) return
      let envelope: BusEnvelope
      try {
        envelope = JSON.parse(raw) as BusEnvelope
      } catch {
        return // Not ours: someone else published on the channel.
      }
      if (envelope && typeof envelope.origin === 'string' && envelope.message) handler(envelope)
    })
    try {
      await this.#subscriber.subscribe(this.#channel)
    } catch {
      // Redis is away: ioredis re-subscribes on reconnect (autoResubscribe) only for channels it
      // knows, so retry once it is ready.
      this.#subscriber.once('ready', () => {
        this.#subscriber.subscribe(this.#channel).catch(() => {})
      })
    }
  }

  async close(): Promise<void> {
    this.#listeners.length = 0
    try {
      await Promise.race([this.#subscriber.quit(), new Promise((r) => setTimeout(r, 300).unref())])
    } catch {
      // already gone
    }
    this.#subscriber.disconnect()
  }
}
