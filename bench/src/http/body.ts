/** The ~1 KB JSON body every variant returns, computed once (the "expensive work" is already done). */
export const BODY = {
  id: 42,
  model: 'demo',
  scores: Array.from({ length: 40 }, (_, i) => Math.round(Math.sin(i) * 1e6) / 1e6),
  text: 'lorem ipsum '.repeat(40),
}
export const BODY_TEXT = JSON.stringify(BODY)
