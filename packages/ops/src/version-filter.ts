import type { OptionFlags } from '@cache/core/plugin'
import type { SkipEvent } from './exported-entry.js'

/** Tag prefix that carries an entry's model version by convention: `tags: ['version:3f2a9c']`. */
export const VERSION_TAG_PREFIX = 'version:'

/** Reads the model version of an entry; `undefined` when the entry is not bound to a model version. */
export type VersionOf = (entry: { key: string; tags: readonly string[] }) => string | undefined

/** Which model versions may be copied: one, a list, or a predicate. */
export type AcceptedVersions =
  | string
  | readonly string[]
  | ((version: string, entry: { key: string; tags: readonly string[] }) => boolean)

/** Model-version options shared by import and sync. */
export interface VersionOptions {
  /**
   * Model versions that may be copied. An entry whose version (see `versionOf`) is not one of
   * them is skipped and counted (`skippedBy.version`), never written. Entries without a version
   * are not model outputs and always pass.
   * @default undefined (no model-version check; the codec version is always checked)
   */
  modelVersion?: AcceptedVersions
  /**
   * Reads an entry's model version. The convention is a tag `version:<v>`; pass your own to read
   * it from the namespace instead, e.g. `({ key }) => /\/v-([^/:]+)[/:]/.exec(key)?.[1]`.
   * @default the value of the entry's first `version:` tag
   */
  versionOf?: VersionOf
}

/** Every key of {@link VersionOptions}, checked both ways by the compiler. */
export const VERSION_FLAGS = {
  modelVersion: true,
  versionOf: true,
} as const satisfies OptionFlags<VersionOptions>

/** The default {@link VersionOf}: the first `version:<v>` tag. */
export const versionFromTags: VersionOf = ({ tags }) => {
  const tag = tags.find((t) => t.startsWith(VERSION_TAG_PREFIX))
  return tag === undefined ? undefined : tag.slice(VERSION_TAG_PREFIX.length)
}

/** A check that returns the skip of an entry whose model version is not accepted, else `undefined`. */
export function versionCheck(
  options: VersionOptions,
): (entry: { key: string; tags: readonly string[] }) => SkipEvent | undefined {
  const accepted = options.modelVersion
  if (accepted === undefined) return () => undefined
  const versionOf = options.versionOf ?? versionFromTags
  const ok =
    typeof accepted === 'function'
      ? accepted
      : typeof accepted === 'string'
        ? (v: string) => v === accepted
        : (v: string) => accepted.includes(v)
  return (entry) => {
    const version = versionOf(entry)
    if (version === undefined || ok(version, entry)) return undefined
    return { key: entry.key, reason: 'version', detail: `model version ${version} is not accepted` }
  }
}
