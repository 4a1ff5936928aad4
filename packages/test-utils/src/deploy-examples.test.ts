import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'

// Docker does not run here: the deploy examples are checked to parse and to say what they claim.
const root = fileURLToPath(new URL('../../../deploy/', import.meta.url))
const load = (file: string) => {
  const docs = parseAllDocuments(readFileSync(root + file, 'utf8'))
  for (const d of docs) expect(d.errors, file).toEqual([])
  return docs.map((d) => d.toJS())
}

describe('deploy/ examples', () => {
  it('docker-compose.yml: app replicas sharing one Redis', () => {
    const [compose] = load('docker-compose.yml')
    expect(compose.services.redis.image).toMatch(/^redis:/)
    expect(compose.services.app.environment.REDIS_URL).toBe('redis://redis:6379')
    expect(compose.services.app.deploy.replicas).toBeGreaterThan(1)
  })

  it('kubernetes manifests: a Redis Deployment + Service and app replicas reading REDIS_URL', () => {
    const redis = load('kubernetes/redis.yaml')
    expect(redis.map((d) => d.kind)).toEqual(['Deployment', 'Service'])
    const app = load('kubernetes/app.yaml')
    const deployment = app.find((d) => d.kind === 'Deployment')
    expect(deployment.spec.replicas).toBeGreaterThan(1)
    const env = deployment.spec.template.spec.containers[0].env
    expect(env.find((e: { name: string }) => e.name === 'REDIS_URL').value).toBe('redis://cache-redis:6379')
  })
})
