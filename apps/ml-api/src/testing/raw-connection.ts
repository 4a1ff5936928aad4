import net from 'node:net'

/** One TCP connection to the app, for what no HTTP client sends: slow bodies, idle sockets. */
export interface RawConnection {
  /** Writes `text` while the connection is open; false once it is closed. */
  write(text: string): boolean
  /** Everything received so far. */
  received(): string
  /** Resolves when the server (or anything) closes the connection. */
  readonly closed: Promise<void>
  /** True once the connection is closed. */
  isClosed(): boolean
  /** Closes it from this side. */
  destroy(): void
}

/** Opens a connection to 127.0.0.1:`port`. Write errors after the server closed are expected and ignored. */
export function connectRaw(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    let data = ''
    let isClosed = false
    const closed = new Promise<void>((done) => socket.once('close', done)).then(() => {
      isClosed = true
    })
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      data += chunk
    })
    socket.once('connect', () => {
      socket.off('error', reject)
      socket.on('error', () => {})
      resolve({
        write: (text) => {
          if (isClosed || socket.destroyed) return false
          socket.write(text)
          return true
        },
        received: () => data,
        closed,
        isClosed: () => isClosed,
        destroy: () => socket.destroy(),
      })
    })
    socket.once('error', reject)
  })
}

/** A raw HTTP/1.1 response: status, lowercased headers, body text. */
export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** Parses one raw HTTP/1.1 response (`Content-Length` framed); `undefined` when `text` holds none. */
export function parseRawResponse(text: string): RawResponse | undefined {
  const end = text.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status: Number(statusLine?.split(' ')[1]), headers, body: text.slice(end + 4) }
}

/** `promise`, or a rejection naming `what` after `ms` (a generous overall limit, never a sleep). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)
  })
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer))
}
