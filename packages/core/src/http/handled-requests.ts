/**
 * The requests an adapter's response cache has taken (so a second middleware or interceptor on
 * the same request passes it through), shared by every installed copy of that adapter: the set is
 * registered on `globalThis` under `Symbol.for(name)`.
 *
 * A set rather than a mark on the request: frameworks give each request their own prototype
 * (Express: `Object.setPrototypeOf(req, app.request)`), and adding a property to such an object
 * costs V8 a new hidden class per request.
 */
export function handledRequests(name: string): WeakSet<object> {
  const registry = globalThis as unknown as Record<symbol, WeakSet<object> | undefined>
  const key = Symbol.for(name)
  let set = registry[key]
  if (set === undefined) registry[key] = set = new WeakSet()
  return set
}
