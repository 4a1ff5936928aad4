import type { SkipCounts } from '@cache/ops'

const nf = new Intl.NumberFormat('en-US')

/** `12,345`. */
export function num(n: number): string {
  return nf.format(n)
}

/** `1.5 MB`. */
export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`
}

/** `2d 3h`, `4m 10s`, `850ms`; `never` for Infinity. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return 'never'
  const sign = ms < 0 ? '-' : ''
  let s = Math.abs(ms)
  if (s < 1000) return `${sign}${Math.round(s)}ms`
  s = Math.round(s / 1000)
  const parts: [number, string][] = [
    [Math.floor(s / 86400), 'd'],
    [Math.floor((s % 86400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ]
  const first = parts.findIndex(([v]) => v > 0)
  return (
    sign +
    parts
      .slice(first, first + 2)
      .filter(([v]) => v > 0)
      .map(([v, u]) => `${v}${u}`)
      .join(' ')
  )
}

/** ` (exists: 3, codec: 1)` for the non-zero counters, or `''`. */
export function reasons(counts: SkipCounts): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${reason}: ${num(n)}`)
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`
}
