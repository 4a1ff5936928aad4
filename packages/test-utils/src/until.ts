/** Options of {@link until}. */
export interface UntilOptions {
  /**
   * How long to keep trying before giving up, in ms: generous, since it bounds a wait that
   * normally ends at once, not a deadline under test.
   * @default 30_000
   */
  timeout?: number
  /**
   * Pause between two checks, in ms.
   * @default 5
   */
  interval?: number
  /** What the error says when time runs out. @default 'condition not met' */
  message?: string
}

/**
 * Resolves once `condition()` is (or resolves to) true, checking every `interval` ms; rejects
 * after `timeout` ms. Tests wait on what they need this way, never on a fixed sleep, so they
 * pass on a machine whose cores are busy.
 *
 * @example
 * await until(() => handlerFinished, { message: 'the handler did not finish' })
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  options: UntilOptions = {},
): Promise<void> {
  const { timeout = 30_000, interval = 5, message = 'condition not met' } = options
  const deadline = Date.now() + timeout
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`until: ${message} within ${timeout} ms`)
    await new Promise((resolve) => setTimeout(resolve, interval))
  }
}
