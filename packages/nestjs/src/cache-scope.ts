import { CacheError, errors } from '@cache/core'
import type { DynamicModule } from '@nestjs/common'
import type { ModulesContainer } from '@nestjs/core'
import { CACHE_RESPONSE_METADATA, CACHE_SCOPE, INVALIDATE_TAGS_METADATA } from './tokens.js'

/**
 * One `ResponseCacheModule.forRoot()` / `forRootAsync()`: the routes its cache serves are those
 * of the controllers {@link scopeOwners} assigns to it.
 */
export class CacheScope {
  static #count = 0
  /**
   * Distinct for every `forRoot`. It also keeps Nest 10, which identifies a dynamic module by a
   * hash of its serialised metadata, from merging two `forRoot`s whose options serialise alike
   * (a `Cache` serialises as `{}`).
   */
  readonly id = ++CacheScope.#count
}

// What this file reads of Nest's `Module` (the container's record of a module, Nest 10 to 12).
interface ModuleRecord {
  readonly token: string
  readonly name?: string
  readonly metatype: Function
  readonly isGlobal: boolean
  readonly controllers: Map<unknown, { metatype?: Function | null }>
  readonly providers: Map<unknown, { instance?: unknown }>
  // The container keeps what a dynamic module declares (its `imports`) apart from the class's.
  readonly container?: { getDynamicMetadataByToken?(token: string, key: 'imports'): unknown[] | undefined }
}

const owners = new WeakMap<ModulesContainer, ReadonlyMap<Function, CacheScope>>()

/**
 * Which `forRoot` serves each controller with cached routes: the `ResponseCacheModule` its own
 * module imports; if it imports none, the global one (or the only one there is). Computed once
 * per application. Throws `ERR_CACHE_INVALID_OPTION` when that is ambiguous (a module importing
 * two, or none and several global ones): two caches silently sharing routes is worse than a
 * start that fails with the fix in its message.
 */
export function scopeOwners(modules: ModulesContainer): ReadonlyMap<Function, CacheScope> {
  let found = owners.get(modules)
  if (found === undefined)
    owners.set(modules, (found = assign([...modules.values()] as unknown as ModuleRecord[])))
  return found
}

function assign(records: ModuleRecord[]): ReadonlyMap<Function, CacheScope> {
  const importers = new Map<CacheScope, string[]>()
  const declared = new Map<ModuleRecord, CacheScope[]>()
  for (const record of records) {
    const scopes = [...new Set(declaredImports(record).map(scopeOfImport))].filter((s) => s !== undefined)
    declared.set(record, scopes)
    for (const scope of scopes) importers.set(scope, [...(importers.get(scope) ?? []), nameOf(record)])
  }
  const cacheModules = records.filter((record) => scopeOf(record) !== undefined)
  const globals = cacheModules.filter((record) => record.isGlobal)
  const fallback = (globals.length > 0 ? globals : cacheModules).map((record) => scopeOf(record)!)

  const result = new Map<Function, CacheScope>()
  for (const record of records) {
    const controllers = [...record.controllers.values()]
      .map((wrapper) => wrapper.metatype)
      .filter((type): type is Function => typeof type === 'function' && hasCachedRoutes(type))
    if (controllers.length === 0) continue
    const own = declared.get(record)!
    const candidates = own.length > 0 ? own : fallback
    if (candidates.length !== 1) {
      const names = controllers.map((type) => type.name).join(', ')
      const where = candidates.map((scope) => (importers.get(scope) ?? ['?']).join(' and ')).join(', ')
      throw new CacheError(
        errors.ERR_CACHE_INVALID_OPTION,
        own.length > 0
          ? `${nameOf(record)} imports ResponseCacheModule ${own.length} times: the cached routes of ${names} must use one cache. Import one.`
          : `The cached routes of ${names} (in ${nameOf(record)}) could use any of ${candidates.length} global ResponseCacheModules (imported by ${where}): import the one they use in ${nameOf(record)}, or register feature caches with isGlobal: false.`,
      )
    }
    for (const controller of controllers) result.set(controller, candidates[0]!)
  }
  return result
}

function declaredImports(record: ModuleRecord): unknown[] {
  const own: unknown[] = Reflect.getMetadata('imports', record.metatype) ?? []
  const dynamic = record.container?.getDynamicMetadataByToken?.(record.token, 'imports') ?? []
  return [...own, ...dynamic]
}

function scopeOf(record: ModuleRecord): CacheScope | undefined {
  const scope = record.providers.get(CACHE_SCOPE)?.instance
  return scope instanceof CacheScope ? scope : undefined
}

function scopeOfImport(entry: unknown): CacheScope | undefined {
  const providers = (entry as Partial<DynamicModule> | null)?.providers
  if (!Array.isArray(providers)) return undefined
  const provider = providers.find((p) => (p as { provide?: unknown }).provide === CACHE_SCOPE)
  const scope = (provider as { useValue?: unknown } | undefined)?.useValue
  return scope instanceof CacheScope ? scope : undefined
}

function hasCachedRoutes(controller: Function): boolean {
  if (Reflect.getMetadata(CACHE_RESPONSE_METADATA, controller) !== undefined) return true
  for (
    let proto = controller.prototype;
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method = Object.getOwnPropertyDescriptor(proto, name)?.value
      if (typeof method !== 'function' || name === 'constructor') continue
      if (
        Reflect.getMetadata(CACHE_RESPONSE_METADATA, method) !== undefined ||
        Reflect.getMetadata(INVALIDATE_TAGS_METADATA, method) !== undefined
      )
        return true
    }
  }
  return false
}

function nameOf(record: ModuleRecord): string {
  return record.metatype?.name ?? record.name ?? record.token
}
