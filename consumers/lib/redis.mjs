// A private redis-server for the run, on a free port of 127.0.0.1 (the workspace's harness in
// packages/test-utils is TypeScript for vitest; this runner is plain Node, so it has its own
// small one). Persists nothing; killed when the run ends, however it ends.
import { spawn, spawnSync } from 'node:child_process'
import { connect, createServer } from 'node:net'

const HOST = '127.0.0.1'
const BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server'

/** True when `redis-server` can be run here. */
export function redisAvailable() {
  return spawnSync(BIN, ['--version'], { stdio: 'ignore' }).status === 0
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen({ port: 0, host: HOST, exclusive: true }, () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
      server.close(() => resolve(port))
    })
  })
}

/** Resolves true once something on the port answers PING with PONG. */
function pong(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port })
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1000, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('+PONG')))
  })
}

/**
 * Starts the server; retries on another port when the chosen one was taken meanwhile.
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startRedis() {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no']
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-4096)))
    child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-4096)))
    const exited = new Promise((resolve) => child.once('exit', resolve))
    const kill = () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')
    process.once('exit', kill)
    const deadline = Date.now() + 10_000
    while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
      if (await pong(port)) {
        return {
          url: `redis://${HOST}:${port}`,
          stop: async () => {
            kill()
            await exited
            process.off('exit', kill)
          },
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    kill()
    await exited
    process.off('exit', kill)
    if (!/address already in use/i.test(output) || attempt >= 5) {
      throw new Error(`redis-server did not start on port ${port}:\n${output.trim()}`)
    }
  }
}
