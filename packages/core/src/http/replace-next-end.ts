import type { ServerResponse } from 'node:http'
import { Interception } from './response-interception.js'

/**
 * Replaces the next `end()` on `raw` with `onEnd(raw)`: that call writes nothing itself, its
 * callback (if any) runs on `finish`, and every other write goes through as before. The
 * lightest way to put another response in place of a framework's own last write (Nest on
 * Express ends with `res.send()`'s `res.end()`). On Express it adds no property to the response
 * (see {@link Interception}).
 */
export function replaceNextEnd(raw: ServerResponse, onEnd: (raw: ServerResponse) => void): void {
  new EndReplacement(raw, onEnd)
}

class EndReplacement extends Interception {
  constructor(
    raw: ServerResponse,
    readonly onEnd: (raw: ServerResponse) => void,
  ) {
    super(raw)
  }

  end(raw: ServerResponse, args: unknown[]): ServerResponse {
    this.finish()
    const callback = args.find((arg) => typeof arg === 'function')
    if (callback !== undefined) raw.once('finish', callback as () => void)
    this.onEnd(raw)
    return raw
  }

  writeHead(raw: ServerResponse, args: unknown[]): unknown {
    return this.original.writeHead.apply(raw, args)
  }

  write(raw: ServerResponse, args: unknown[]): unknown {
    return this.original.write.apply(raw, args)
  }

  flushHeaders(raw: ServerResponse, args: unknown[]): unknown {
    return this.original.flushHeaders.apply(raw, args)
  }

  addTrailers(raw: ServerResponse, args: unknown[]): unknown {
    return this.original.addTrailers.apply(raw, args)
  }
}
