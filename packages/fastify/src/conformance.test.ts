import { describeAdapterConformance } from '@cache/test-utils'
import { fastifyConformanceApp } from './conformance-app.js'

describeAdapterConformance('Fastify', fastifyConformanceApp)
