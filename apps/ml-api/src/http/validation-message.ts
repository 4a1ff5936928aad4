import type { FastifySchemaValidationError } from 'fastify'

/** What a client is told about a request that failed its schema. */
export interface ValidationProblem {
  /** `$.inputs[0].hour: must be < 24`: the JSON path, then the problem. */
  message: string
  /** The field at fault without the `$.` (`inputs[0].hour`), null for the whole body. */
  param: string | null
}

/** `/inputs/0/distance` (JSON pointer, RFC 6901) -> `$.inputs[0].distance`. */
export function jsonPath(pointer: string | undefined): string {
  if (!pointer) return '$'
  return `$${pointer
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p.replaceAll('~1', '/').replaceAll('~0', '~')}`))
    .join('')}`
}

const depth = (e: FastifySchemaValidationError) =>
  e.instancePath === '' ? 0 : e.instancePath.split('/').length
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`)

function sentence(e: FastifySchemaValidationError): string {
  const p = e.params as Record<string, unknown>
  const limit = Number(p.limit)
  switch (e.keyword) {
    case 'minItems':
      return limit === 1
        ? 'must not be empty (at least 1 item)'
        : `must have at least ${plural(limit, 'item')}`
    case 'maxItems':
      return `must have at most ${plural(limit, 'item')}`
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${plural(limit, 'character')}`
    case 'maxLength':
      return `must be at most ${plural(limit, 'character')}`
    case 'minProperties':
      return `must have at least ${plural(limit, 'property')}`.replace('propertys', 'properties')
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(p.comparison)} ${limit}`
    case 'enum':
      return `must be one of: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`
    default:
      return e.message ?? 'is not valid'
  }
}

/**
 * The one problem worth reporting among a schema's errors. Ajv reports every failing branch of an
 * `anyOf`: for `input: []` it says "must be string" (the first branch) as well as "must NOT have
 * fewer than 1 items" (the branch the value was meant for). The deepest error wins, and at one
 * depth a constraint beats a type mismatch: the value had the right type for that branch, so
 * that branch is what the client meant. Only type mismatches left: every type is named.
 */
export function describeValidation(
  errors: readonly FastifySchemaValidationError[],
  context?: string,
): ValidationProblem {
  const relevant = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf')
  const pool = relevant.length > 0 ? relevant : errors
  const deepest = Math.max(...pool.map(depth))
  const atDepth = pool.filter((e) => depth(e) === deepest)
  const constraint = atDepth.find((e) => e.keyword !== 'type')
  let path = jsonPath(atDepth[0]?.instancePath)
  let problem: string
  if (constraint === undefined) {
    const types = [...new Set(atDepth.map((e) => String((e.params as { type?: unknown }).type)))]
    problem = `must be ${types.map(article).join(' or ')}`
  } else if (constraint.keyword === 'required' || constraint.keyword === 'additionalProperties') {
    const p = constraint.params as { missingProperty?: string; additionalProperty?: string }
    const name = p.missingProperty ?? p.additionalProperty ?? ''
    path = path === '$' ? `$.${name}` : `${path}.${name}`
    problem = constraint.keyword === 'required' ? 'is required' : 'is not a known property'
  } else problem = sentence(constraint)
  const where = context === undefined || context === 'body' ? '' : `${context} `
  return { message: `${where}${path}: ${problem}`, param: path === '$' ? null : path.slice(2) }
}
