import { describeAdapterConformance } from '@cache/test-utils'
import { expressConformanceApp } from './conformance-app.js'

describeAdapterConformance('Express', expressConformanceApp)
