import type { Cluster, Redis } from 'ioredis'
import type { RedisKeyspace } from './redis-keys.js'
import { isStamped } from './redis-stamp.js'
import { generationOf, resolveStamped } from './redis-stamped-read.js'

/**
 * The read side of the Redis store: plain `GET`/`MGET` of entries, and with `guards` (the tags
 * an entry may keep as stamps) their generations in the same `MGET`, so a stamped entry costs no
 * second round trip. A stamped entry read without its guards costs one. A store that writes no
 * stamps (`stamping` false: a cluster, or `stampTtl: 0`) reads no guard: its entries carry none.
 */
export class RedisReads {
  readonly #client: Redis | Cluster
  readonly #cluster: boolean
  readonly #keys: RedisKeyspace
  readonly #stamping: boolean

  constructor(client: Redis | Cluster, cluster: boolean, keys: RedisKeyspace, stamping: boolean) {
    this.#client = client
    this.#cluster = cluster
    this.#keys = keys
    this.#stamping = stamping
  }

  /** The bytes under the Redis key `rkey`, or `undefined`. */
  get(rkey: string, guards: readonly string[] | undefined): Promise<Buffer | undefined> {
    if (this.#stamping && guards !== undefined && guards.length > 0)
      return this.#guarded([rkey], [guards]).then(first)
    return this.#client.getBuffer(rkey).then((value) => {
      if (value === null) return undefined
      if (!isStamped(value)) return value
      const resolved = resolveStamped([value], undefined, this.#fetch)
      return Array.isArray(resolved) ? resolved[0] : resolved.then(first)
    })
  }

  /** The bytes under each Redis key of `rkeys` (a fresh array, which this may extend), in order. */
  getMany(
    rkeys: string[],
    guards: readonly (readonly string[] | undefined)[] | undefined,
  ): Promise<(Buffer | undefined)[]> {
    if (this.#stamping && guards?.some((g) => g !== undefined && g.length > 0) === true)
      return this.#guarded(rkeys, guards)
    return this.#fetch(rkeys).then((values) => resolveStamped(values, undefined, this.#fetch))
  }

  // A cluster spreads keys over slots, and MGET needs one slot: auto-pipelining still sends one batch per node.
  readonly #fetch = (rkeys: readonly string[]): Promise<(Buffer | null)[]> =>
    this.#cluster
      ? Promise.all(rkeys.map((k) => this.#client.getBuffer(k)))
      : (this.#client as Redis).mgetBuffer(rkeys as string[])

  /** Entries and the generations of their guard tags, in one MGET. */
  #guarded(
    rkeys: string[],
    guards: readonly (readonly string[] | undefined)[],
  ): Promise<(Buffer | undefined)[]> {
    const count = rkeys.length
    const generations = new Map<string, string | null>()
    for (const tags of guards) {
      for (const tag of tags ?? []) {
        const gkey = this.#keys.generation('t', tag)
        if (!generations.has(gkey)) {
          generations.set(gkey, null)
          rkeys.push(gkey)
        }
      }
    }
    return this.#fetch(rkeys).then((values) => {
      for (let i = count; i < values.length; i++) generations.set(rkeys[i]!, generationOf(values[i]))
      values.length = count
      return resolveStamped(values, generations, this.#fetch)
    })
  }
}

function first<T>(values: T[]): T | undefined {
  return values[0]
}
