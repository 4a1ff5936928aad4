/**
 * A one-line account of a connection error for messages and logs. Node's AggregateError (every
 * address of a host refused) has an empty message and only a `code`; a code missing from the
 * message is added in front of it.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as NodeJS.ErrnoException).code
  if (error.message === '') return code ?? error.name
  return code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message
}
