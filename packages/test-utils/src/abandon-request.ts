/**
 * Sends a GET to `url` and aborts it once `when` resolves (say, once its handler is running):
 * a client that goes away mid-request. Resolves once the client side has given up; the server
 * may notice later, so wait for its `close` event before asserting on what it did.
 */
export async function abandonRequest(url: string, when: Promise<unknown>): Promise<void> {
  const abort = new AbortController()
  const gone = fetch(url, { signal: abort.signal }).then(
    (response) => response.body?.cancel(),
    () => undefined,
  )
  await when
  abort.abort()
  await gone
}
