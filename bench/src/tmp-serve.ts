import 'reflect-metadata'

const variant = process.argv[2]!
const secs = Number(process.argv[3] ?? 8)
const { expressApp } = await import('./http/express-variants.js')
const server = expressApp(variant).listen(4555, '127.0.0.1', () => console.log('ready'))
setTimeout(() => {
  server.close()
  process.exit(0)
}, secs * 1000)
