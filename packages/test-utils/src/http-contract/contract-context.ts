/** What a group of contract cases reads; filled in by `beforeAll` of the mode being run. */
export interface ContractContext {
  /** `memory`: one process. `redis`: two processes sharing one Redis (L2 + invalidation bus). */
  mode: 'memory' | 'redis'
  /** Every process's base URL. */
  urls: string[]
  /** The first process. */
  a: string
  /** The last process (the same as `a` in memory mode). */
  b: string
}

/** An empty context, filled in before the first case. */
export function emptyContext(mode: ContractContext['mode']): ContractContext {
  return { mode, urls: [], a: '', b: '' }
}
