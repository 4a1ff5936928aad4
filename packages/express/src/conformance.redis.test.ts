import { describeAdapterConformanceRedis } from '@cache/test-utils'
import { expressConformanceApp } from './conformance-app.js'

describeAdapterConformanceRedis('Express', expressConformanceApp)
