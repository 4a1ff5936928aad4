/**
 * An invalidation message. The bus carries invalidations, never values:
 * receivers drop their L1 copies and cancel the storing of loads already running.
 */
export type BusMessage =
  | { kind: 'keys'; keys: string[] }
  | { kind: 'tags'; tags: string[] }
  | { kind: 'clear'; prefixes: string[] }
  | { kind: 'filled'; key: string }

/** A message as it travels, stamped with the sending instance so it can ignore its own. */
export interface BusEnvelope {
  /** Id of the sending cache instance. */
  origin: string
  /** The message. */
  message: BusMessage
}

/** Transport of invalidations between the processes sharing a store. */
export interface InvalidationBus {
  /** Sends a message to every other subscriber. */
  publish(envelope: BusEnvelope): Promise<void>
  /** Starts delivering messages to `handler`. */
  subscribe(handler: (envelope: BusEnvelope) => void): Promise<void>
  /** True while the bus is connected and subscribed. */
  readonly connected: boolean
  /** Called with `true`/`false` when the connection comes and goes; returns a function that removes the listener. */
  onConnectionChange(listener: (connected: boolean) => void): () => void
  /** Stops the bus and closes its connection. */
  close(): Promise<void>
}
