import { describe, expect, it } from 'vitest'
import { Budget, OUT_OF_BUDGET } from './budget.js'

describe('Budget', () => {
  it('charges what each call waited, and stops waiting once spent', async () => {
    const budget = new Budget(100)
    expect(await budget.wait(Promise.resolve('fast'))).toBe('fast')
    expect(budget.left).toBeGreaterThan(50)
    const never = new Promise<string>(() => {})
    const started = performance.now()
    expect(await budget.wait(never)).toBe(OUT_OF_BUDGET)
    expect(performance.now() - started).toBeGreaterThanOrEqual(50)
    expect(budget.left).toBeLessThanOrEqual(0)
    // Spent: the next call is not waited for at all.
    expect(await budget.wait(Promise.resolve('late'))).toBe(OUT_OF_BUDGET)
  })

  it('charge counts only the time given', () => {
    const budget = new Budget(100)
    budget.charge(Date.now() - 30)
    expect(budget.left).toBeGreaterThan(60)
    expect(budget.left).toBeLessThanOrEqual(70)
  })
})
