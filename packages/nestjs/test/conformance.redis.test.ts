import { describeAdapterConformanceRedis } from '@cache/test-utils'
import { nestConformanceApp } from './conformance-app.js'
import { PLATFORMS } from './start-app.js'

for (const platform of PLATFORMS)
  describeAdapterConformanceRedis(`Nest on ${platform}`, nestConformanceApp(platform))
