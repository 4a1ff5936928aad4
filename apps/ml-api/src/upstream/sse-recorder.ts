import type { ChatChunk } from '../cache/chat-chunks.js'

/**
 * Reads an OpenAI server-sent event stream as it passes through (WHATWG HTML §9.2 framing:
 * events end with a blank line, `data:` lines carry the payload), keeping each chunk's JSON.
 * `complete` is true only once `data: [DONE]` arrived and every event parsed: anything less is
 * a cut or garbled stream, never worth storing.
 */
export class SseRecorder {
  /** The chunks received, in order. */
  readonly chunks: ChatChunk[] = []
  readonly #decoder = new TextDecoder()
  #buffer = ''
  #done = false
  #broken = false

  /** True once the stream ended with `[DONE]` and nothing was malformed. */
  get complete(): boolean {
    return this.#done && !this.#broken && this.#buffer.trim() === ''
  }

  /** Feeds bytes as they arrive. */
  push(bytes: Uint8Array): void {
    this.#buffer += this.#decoder.decode(bytes, { stream: true })
    for (;;) {
      const end = /\r?\n\r?\n/.exec(this.#buffer)
      if (end === null) return
      const event = this.#buffer.slice(0, end.index)
      this.#buffer = this.#buffer.slice(end.index + end[0].length)
      this.#event(event)
    }
  }

  #event(event: string): void {
    const data = event
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n')
    if (data === '') return
    if (this.#done) {
      this.#broken = true
      return
    }
    if (data === '[DONE]') {
      this.#done = true
      return
    }
    try {
      this.chunks.push(JSON.parse(data) as ChatChunk)
    } catch {
      this.#broken = true
    }
  }
}
