/**
 * What {@link KeyvStore} needs of a Keyv instance (keyv 5's `Keyv`), by shape. Typed by shape
 * rather than as keyv's class, which has private members: an application's `Keyv` from keyv's
 * ESM declarations and this package's view of it from the CommonJS ones would otherwise be two
 * unrelated types, though they are one class at run time.
 */
export interface KeyvInstance {
  /** Reads a value; `undefined` when absent. */
  get(key: string): Promise<unknown>
  /** Reads several values, in order. */
  getMany(keys: string[]): Promise<unknown[]>
  /** Writes a value with a TTL in milliseconds (`undefined`: no expiry). */
  set(key: string, value: unknown, ttl?: number): Promise<boolean>
  /** Deletes a key; `true` when it existed. */
  delete(key: string): Promise<boolean>
  /** Keyv's namespace of this instance's keys. */
  readonly namespace?: string | undefined
  /** Iterates the entries of a namespace, when the storage adapter can. */
  readonly iterator?: unknown
  /** Keyv's hooks: present on a Keyv, absent on a storage adapter. */
  readonly hooks: object
  /** Makes a failing storage adapter reject instead of reading as a miss. */
  throwOnErrors: boolean
  /** Closes the storage adapter's connection. */
  disconnect?(): Promise<void>
}
