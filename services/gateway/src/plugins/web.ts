import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyPluginAsync } from 'fastify'
import { privateInstance } from './hand-over.js'

// The web UI (web/, built by Vite into web/dist) at `/`: its files as they are, hashed
// assets cached for a year, and index.html for every other page path, so a reload or a
// shared link of /orders/<id> opens the app there. Paths of the API and the gateway's own
// routes never fall back to the page: an unknown /api/… route keeps the API's 404 shape.
// The Content-Security-Policy and the other page headers come from plugins/headers.ts.
// The files are served by @fastify/static (with send and glob ≈ 1–1.5 MB of an idle gateway)
// on a private instance built on the first web request (hand-over.ts), as /docs is.

const RESERVED = ['/api', '/docs', '/health', '/.well-known', '/metrics']
const ASSETS = '/assets/'

export interface WebOptions {
  /** The built UI; found from this file upwards (web/dist of the repository) when unset. */
  root?: string
}

/** web/dist of the checkout this file sits in, from src/ or from a compiled copy alike. */
export function findWebRoot(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'web', 'dist')
    if (existsSync(join(candidate, 'index.html'))) return candidate
    if (dirname(dir) === dir) return undefined
  }
}

const reserved = (path: string) => RESERVED.some((p) => path === p || path.startsWith(`${p}/`))

export const webPlugin: FastifyPluginAsync<WebOptions> = async (app, opts) => {
  const root = opts.root ?? findWebRoot()
  if (!root || !existsSync(join(root, 'index.html'))) {
    app.get('/', async (_req, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('The web UI is not built: run `npm run build` (npm start builds it).\n'),
    )
    return
  }
  const web = privateInstance(async (files) => {
    const { default: fastifyStatic } = await import('@fastify/static')
    await files.register(fastifyStatic, { root: resolve(root), serve: false, index: false, dotfiles: 'deny' })
    files.get('/*', async (req, reply) => {
      const path = decodeURIComponent(req.url.split('?', 1)[0]!)
      const last = path.slice(path.lastIndexOf('/') + 1)
      if (path !== '/' && last.includes('.')) {
        // A file: served if it exists (send refuses paths leaving the root), else a plain 404.
        if (path.startsWith(ASSETS)) return reply.sendFile(path, { immutable: true, maxAge: '365d' })
        return reply.sendFile(path, { maxAge: 0 })
      }
      // A page of the app: always checked again, so a new build is picked up at once.
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { maxAge: 0, cacheControl: false })
    })
  })

  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    let path: string
    try {
      path = decodeURIComponent(req.url.split('?', 1)[0]!)
    } catch {
      return reply.callNotFound()
    }
    if (reserved(path)) return reply.callNotFound()
    return web.handOver(req, reply)
  })
}
