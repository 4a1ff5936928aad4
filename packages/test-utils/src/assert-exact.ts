/**
 * Test helper: throws unless `actual` is an exact copy of `expected`: same prototypes, `Object.is`
 * for primitives (so `-0` and `NaN` count), same own keys in the same order, same holes, same
 * bytes for binary values, same Map/Set order. Stricter than `toStrictEqual` on every point the
 * codec promises.
 */
export function assertExact(actual: unknown, expected: unknown, path = '$'): void {
  const fail = (why: string): never => {
    throw new Error(`${path}: ${why}`)
  }
  if (typeof actual !== typeof expected) fail(`type ${typeof actual} !== ${typeof expected}`)
  if (typeof expected !== 'object' || expected === null || actual === null) {
    if (!Object.is(actual, expected)) fail(`${String(actual)} is not ${String(expected)}`)
    return
  }
  const a = actual as object
  const e = expected as object
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(e)) fail('different prototypes')
  if (ArrayBuffer.isView(e) || e instanceof ArrayBuffer) {
    const bytes = (x: object) =>
      x instanceof ArrayBuffer
        ? Buffer.from(x)
        : Buffer.from(
            (x as ArrayBufferView).buffer,
            (x as ArrayBufferView).byteOffset,
            (x as ArrayBufferView).byteLength,
          )
    if (!bytes(a).equals(bytes(e))) fail('different bytes')
    return
  }
  if (e instanceof Date) {
    if (!Object.is((a as Date).getTime(), e.getTime())) fail('different time')
    return
  }
  if (e instanceof RegExp) {
    if ((a as RegExp).source !== e.source || (a as RegExp).flags !== e.flags) fail('different RegExp')
    return
  }
  if (e instanceof Map || e instanceof Set) {
    const ae = [...(a as Map<unknown, unknown>).entries()]
    const ee = [...e.entries()]
    if (ae.length !== ee.length) fail(`size ${ae.length} !== ${ee.length}`)
    ee.forEach(([k, v], i) => {
      assertExact(ae[i]![0], k, `${path}.keys()[${i}]`)
      assertExact(ae[i]![1], v, `${path}.values()[${i}]`)
    })
    return
  }
  if (Array.isArray(e)) {
    const arr = a as unknown[]
    if (arr.length !== e.length) fail(`length ${arr.length} !== ${e.length}`)
    for (let i = 0; i < e.length; i++) {
      if (i in arr !== i in e) fail(`hole mismatch at ${i}`)
      assertExact(arr[i], e[i], `${path}[${i}]`)
    }
    return
  }
  const ak = Reflect.ownKeys(a)
  const ek = Reflect.ownKeys(e).filter(
    (k) => typeof k === 'string' && Object.getOwnPropertyDescriptor(e, k)!.enumerable,
  )
  if (JSON.stringify(ak.map(String)) !== JSON.stringify(ek.map(String))) {
    fail(`keys ${JSON.stringify(ak.map(String))} !== ${JSON.stringify(ek.map(String))}`)
  }
  for (const k of ek as string[]) {
    const d = Object.getOwnPropertyDescriptor(a, k)!
    if (!('value' in d) || !d.enumerable || !d.writable || !d.configurable)
      fail(`${k} is not a plain data property`)
    assertExact(d.value, (e as Record<string, unknown>)[k], `${path}[${JSON.stringify(k)}]`)
  }
}
