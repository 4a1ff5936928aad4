import { describeAdapterConformanceRedis } from '@cache/test-utils'
import { fastifyConformanceApp } from './conformance-app.js'

describeAdapterConformanceRedis('Fastify', fastifyConformanceApp)
