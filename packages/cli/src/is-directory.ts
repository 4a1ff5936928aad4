import { stat } from 'node:fs/promises'

/** True when `path` exists and is a directory (false for a missing path or a file). */
export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false
}
