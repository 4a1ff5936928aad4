#!/usr/bin/env node
// `prepack` of every public package: npm packs only files under the package folder, and the one
// LICENSE lives at the repo root, so each tarball gets a copy (git-ignored in the package folders).
import { copyFileSync } from 'node:fs'

copyFileSync(new URL('../LICENSE', import.meta.url), 'LICENSE')
