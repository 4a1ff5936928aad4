/** One benchmark variant: `run(n)` performs n operations. */
export interface Variant {
  name: string
  /** Performs `n` operations (sequentially awaited for async APIs). */
  run: (n: number) => Promise<void> | void
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

function shuffle<T>(items: T[]): T[] {
  const a = [...items]
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
  return a
}

/**
 * Runs every variant in every round, in a shuffled order (interleaved, so drift of the machine
 * hits all variants alike), after a warm-up round; returns per-variant median ns/op and the
 * per-round samples.
 */
export async function measure(
  variants: Variant[],
  { rounds = 15, opsPerRound = 20_000, warmupOps = 20_000 } = {},
): Promise<Map<string, { nsPerOp: number; samples: number[] }>> {
  for (const v of variants) await v.run(warmupOps)
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]))
  for (let r = 0; r < rounds; r++) {
    for (const v of shuffle(variants)) {
      ;(globalThis as { gc?: () => void }).gc?.()
      const start = process.hrtime.bigint()
      await v.run(opsPerRound)
      const ns = Number(process.hrtime.bigint() - start) / opsPerRound
      samples.get(v.name)!.push(ns)
    }
  }
  const out = new Map<string, { nsPerOp: number; samples: number[] }>()
  for (const [name, s] of samples) out.set(name, { nsPerOp: median(s), samples: s })
  return out
}

/** Formats ns/op as a short human figure. */
export function fmtNs(ns: number): string {
  return ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`
}

/** Prints a markdown table. */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`
  console.log(line(headers))
  console.log(line(headers.map(() => '---')))
  for (const r of rows) console.log(line(r))
}
