/** What a test reads back from one request. */
export interface Answer {
  status: number
  cache: string | null
  body: unknown
}

/** POSTs JSON to `base + path`. */
export async function postTo(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return { status: res.status, cache: res.headers.get('x-cache'), body: await res.json() }
}

/** GETs JSON from `base + path`. */
export async function getJson<T>(base: string, path: string): Promise<T> {
  return (await (await fetch(`${base}${path}`)).json()) as T
}

/** A flight-delay request for one row per distance (the hour is fixed). */
export const flightRows = (...distances: number[]) => ({
  inputs: distances.map((distance) => ({ distance, hour: 10 })),
})
