/**
 * `remote` options for a cache in a test whose subject is not the store deadline: the default
 * 250 ms per Redis call is a production budget, and on a machine whose cores are busy a healthy
 * Redis can take longer. Cut there, a test's own setup write is abandoned (or the breaker opens
 * and skips the next ones), and the test fails for the machine's speed, not for the code.
 * Tests of deadlines, breakers and outages set their own short deadline instead.
 *
 * @example
 * const cache = createCache({ store, memory: false, remote: PATIENT_REMOTE })
 */
export const PATIENT_REMOTE = Object.freeze({ timeout: 30_000 })
