import type { Cluster, Redis } from 'ioredis'
import {
  BEGIN_LOAD,
  BUMP,
  DELETE_KEY,
  INVALIDATE_TAGS,
  REFRESH_LEASE,
  RELEASE_LEASE,
  SET_FENCED,
  SET_TAGGED,
} from './redis-scripts.js'

/** An ioredis client or cluster. */
export type Client = Redis | Cluster

/** A client with the store's Lua scripts defined as commands (see {@link defineScripts}). */
export type ScriptClient = Client & {
  cacheSetTagged(...args: (string | Buffer | Uint8Array)[]): Promise<number>
  cacheInvalidateTags(...args: string[]): Promise<number>
  cacheBeginLoad(...args: string[]): Promise<[number, number, ...string[]]>
  cacheSetFenced(...args: (string | Buffer)[]): Promise<number>
  cacheDeleteKey(...args: string[]): Promise<number>
  cacheBump(key: string, ttl: string): Promise<number>
  cacheRefreshLease(key: string, token: string, ttl: string): Promise<number>
  cacheReleaseLease(key: string, token: string): Promise<number>
}

/**
 * Defines the store's Lua scripts as commands of `client` (EVALSHA, with a fallback to EVAL after
 * a script flush); once per client, which several stores may share.
 */
export function defineScripts(client: Client): void {
  if (typeof (client as ScriptClient).cacheBeginLoad === 'function') return
  client.defineCommand('cacheSetTagged', { lua: SET_TAGGED })
  client.defineCommand('cacheInvalidateTags', { lua: INVALIDATE_TAGS })
  client.defineCommand('cacheReleaseLease', { numberOfKeys: 1, lua: RELEASE_LEASE })
  client.defineCommand('cacheBeginLoad', { lua: BEGIN_LOAD })
  client.defineCommand('cacheSetFenced', { lua: SET_FENCED })
  client.defineCommand('cacheDeleteKey', { numberOfKeys: 3, lua: DELETE_KEY })
  client.defineCommand('cacheBump', { numberOfKeys: 1, lua: BUMP })
  client.defineCommand('cacheRefreshLease', { numberOfKeys: 1, lua: REFRESH_LEASE })
}
