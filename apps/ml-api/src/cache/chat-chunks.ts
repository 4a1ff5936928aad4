/** A chat completion chunk as OpenAI streams it (only what assembling needs is typed). */
export interface ChatChunk {
  id?: string
  object?: string
  created?: number
  model?: string
  system_fingerprint?: string
  choices?: {
    index?: number
    delta?: {
      role?: string
      content?: string | null
      refusal?: string | null
      tool_calls?: {
        index?: number
        id?: string
        type?: string
        function?: { name?: string; arguments?: string }
      }[]
    }
    finish_reason?: string | null
  }[]
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } | null
  [field: string]: unknown
}

interface ToolCall {
  id?: string
  type: string
  function: { name: string; arguments: string }
}

interface Choice {
  index: number
  message: { role: string; content: string | null; refusal?: string; tool_calls?: ToolCall[] }
  finish_reason: string | null
}

/**
 * The completion a stream of chunks amounts to: what a non-streaming request would have
 * answered. Deltas are concatenated per choice (content, refusal, each tool call's name and
 * arguments by index); the last chunk's usage, when the stream carried one, is kept.
 */
export function assembleCompletion(chunks: readonly ChatChunk[]): Record<string, unknown> {
  const first = chunks[0] ?? {}
  const choices = new Map<number, Choice>()
  let usage: ChatChunk['usage']
  for (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage
    for (const c of chunk.choices ?? []) {
      const index = c.index ?? 0
      let choice = choices.get(index)
      if (choice === undefined) {
        choice = { index, message: { role: 'assistant', content: null }, finish_reason: null }
        choices.set(index, choice)
      }
      const delta = c.delta ?? {}
      if (delta.role) choice.message.role = delta.role
      if (typeof delta.content === 'string')
        choice.message.content = (choice.message.content ?? '') + delta.content
      if (typeof delta.refusal === 'string')
        choice.message.refusal = (choice.message.refusal ?? '') + delta.refusal
      for (const t of delta.tool_calls ?? []) {
        const calls = (choice.message.tool_calls ??= [])
        const at = t.index ?? calls.length
        const call = (calls[at] ??= { type: 'function', function: { name: '', arguments: '' } })
        if (t.id) call.id = t.id
        if (t.type) call.type = t.type
        call.function.name += t.function?.name ?? ''
        call.function.arguments += t.function?.arguments ?? ''
      }
      if (c.finish_reason) choice.finish_reason = c.finish_reason
    }
  }
  return {
    id: first.id,
    object: 'chat.completion',
    created: first.created,
    model: first.model,
    ...(first.system_fingerprint === undefined ? {} : { system_fingerprint: first.system_fingerprint }),
    choices: [...choices.values()].sort((a, b) => a.index - b.index),
    ...(usage ? { usage } : {}),
  }
}

/**
 * Chunks that stream `completion` (a stored non-streaming answer) in OpenAI's chunk format: per
 * choice, one chunk with the role and the whole content (and tool calls), then one with the
 * finish reason; a last chunk with the usage when `withUsage` (`stream_options.include_usage`).
 */
export function completionChunks(completion: Record<string, unknown>, withUsage: boolean): ChatChunk[] {
  const head = {
    id: completion.id as string | undefined,
    object: 'chat.completion.chunk',
    created: completion.created as number | undefined,
    model: completion.model as string | undefined,
    ...(typeof completion.system_fingerprint === 'string'
      ? { system_fingerprint: completion.system_fingerprint }
      : {}),
  }
  const chunks: ChatChunk[] = []
  for (const choice of (completion.choices as Choice[] | undefined) ?? []) {
    const { role, content, tool_calls } = choice.message
    const delta = {
      role,
      content,
      ...(tool_calls === undefined ? {} : { tool_calls: tool_calls.map((t, index) => ({ index, ...t })) }),
    }
    chunks.push({ ...head, choices: [{ index: choice.index, delta, finish_reason: null }] })
    chunks.push({
      ...head,
      choices: [{ index: choice.index, delta: {}, finish_reason: choice.finish_reason }],
    })
  }
  if (withUsage && completion.usage !== undefined) {
    chunks.push({ ...head, choices: [], usage: completion.usage as ChatChunk['usage'] })
  }
  return chunks
}

/** `chunks` as a server-sent event stream, ending with `data: [DONE]` as OpenAI's does. */
export function toSse(chunks: readonly ChatChunk[]): string {
  return `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`
}
