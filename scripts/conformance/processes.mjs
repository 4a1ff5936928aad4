// Starting, waiting for and stopping the processes of a conformance run, on loopback only.
import { spawn } from 'node:child_process'
import net from 'node:net'

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Starts `node args` with `env`; its output is kept for a failure report. */
export function start(name, args, options) {
  const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  return { name, child, output: () => output }
}

/** Waits until `port` accepts connections, within `limitMs` (generous: the machine may be busy). */
export async function waitForPort(port, proc, limitMs = 60_000) {
  const deadline = Date.now() + limitMs
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited early:\n${proc.output()}`)
    if (await accepts(port)) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${proc.name} did not listen on ${port} within ${limitMs} ms:\n${proc.output()}`)
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** Stops a process it started (by its own handle) and waits for it to exit. */
export async function stop(proc) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return
  const exited = new Promise((resolve) => proc.child.once('exit', resolve))
  proc.child.kill('SIGTERM')
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

/** Runs `node args` to completion and resolves with its stdout. */
export function run(args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.once('error', reject)
    child.once('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`exit ${code}:\n${stderr.slice(-2000)}`)),
    )
  })
}
