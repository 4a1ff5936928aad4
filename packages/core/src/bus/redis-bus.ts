import type { Cluster, Redis } from 'ioredis'
import type { BusEnvelope, InvalidationBus } from './invalidation-bus.js'

/**
 * The invalidation bus over Redis pub/sub, on a connection of its own (a subscribed connection
 * cannot run other commands). ioredis reconnects it by itself; while it is down, L1 staleness is
 * bounded by `memory.maxTtl`. `connected` means subscribed: a message published before the
 * SUBSCRIBE is answered would not reach this process.
 */
export class RedisBus implements InvalidationBus {
  readonly #publisher: Redis | Cluster
  readonly #subscriber: Redis | Cluster
  readonly #channel: string
  readonly #listeners = new Set<(connected: boolean) => void>()
  #connected = false
  #wanted = false

  constructor(client: Redis | Cluster, channel: string) {
    this.#publisher = client
    this.#channel = channel
    // ioredis's own re-subscription on reconnect (autoResubscribe) holds no handler on its
    // SUBSCRIBE: when the connection drops again before the reply and the next attempts are
    // refused, ioredis rejects it at its retry limit, an unhandled rejection that ends a Node
    // process by default. It also says nothing when it is done. Subscribing again on every
    // connection (below) covers both, with the failure handled.
    this.#subscriber = client.isCluster
      ? client.duplicate()
      : (client as Redis).duplicate({ autoResubscribe: false })
    this.#subscriber.on('error', () => {})
    this.#subscriber.on('ready', () => {
      if (this.#wanted) this.#subscribeNow()
    })
    this.#subscriber.on('close', () => this.#setConnected(false))
  }

  get connected(): boolean {
    return this.#connected
  }

  onConnectionChange(listener: (connected: boolean) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #setConnected(connected: boolean): void {
    if (connected === this.#connected) return
    this.#connected = connected
    for (const l of this.#listeners) l(connected)
  }

  #subscribeNow(): void {
    this.#subscriber.subscribe(this.#channel).then(
      () => this.#setConnected(true),
      () => {}, // the connection went away; its next 'ready' subscribes again
    )
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
    this.#wanted = true
    if (this.#subscriber.status === 'ready') this.#subscribeNow()
  }

  async close(): Promise<void> {
    this.#listeners.clear()
    try {
      await Promise.race([this.#subscriber.quit(), new Promise((r) => setTimeout(r, 300).unref())])
    } catch {
      // already gone
    }
    this.#subscriber.disconnect()
  }
}
