import { fastify, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'

// Hop-by-hop or recomputed when the gateway sends the answer on.
const NOT_COPIED = new Set(['content-length', 'connection', 'keep-alive', 'transfer-encoding', 'date'])
// What the private instance answers for a path it has no page for: the gateway's own 404 then.
const NOT_FOUND = 'x-hand-over-not-found'
// Marks an error of the private instance, kept under this id for the gateway's error handler.
const FAILED = 'x-hand-over-failed'

export interface PrivateInstance {
  /** Answers the request with the private instance, built on the first call. */
  handOver(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void>
}

/**
 * A fastify instance of its own for pages the gateway serves now and then (/docs, the web UI),
 * built with their plugins on the first request and answering by `inject`: the plugins cost
 * nothing in an idle gateway. Its answers go out through the gateway's reply with the
 * gateway's hooks (security headers, logs, metrics); a path it has no page for gets the
 * gateway's 404 and an error of it the gateway's error handler, as if it were served there.
 */
export function privateInstance(setUp: (instance: FastifyInstance) => Promise<void>): PrivateInstance {
  const failures = new Map<string, unknown>()
  let next = 0
  let instance: Promise<FastifyInstance> | undefined

  const build = async () => {
    const d = fastify({ exposeHeadRoutes: false })
    d.setNotFoundHandler((_req, reply) => reply.code(404).header(NOT_FOUND, '1').send())
    d.setErrorHandler((err, req, reply) => {
      // A request the plugin refused as HTTP does (a hidden dotfile, a Range past the end, a failed
      // If-Match): the client's mistake, answered with its status, and a hidden file as not found at all.
      const refusal = err as { statusCode?: unknown; headers?: Record<string, string> }
      const status = typeof refusal.statusCode === 'number' ? refusal.statusCode : 500
      if (status === 403 || status === 404) return reply.code(404).header(NOT_FOUND, '1').send()
      if (status >= 400 && status < 500)
        return reply
          .code(status)
          .headers(refusal.headers ?? {})
          .send()
      failures.set(String(req.headers[FAILED]), err)
      return reply.code(500).header(FAILED, '1').send()
    })
    await setUp(d)
    await d.ready()
    return d
  }

  return {
    async handOver(req, reply) {
      instance ??= build().catch((err: unknown) => {
        instance = undefined
        throw err
      })
      const id = String(next++)
      // GET also for HEAD: fastify answers a HEAD with the GET route's headers and no body.
      const res = await (await instance).inject({ method: 'GET', url: req.url, headers: { ...req.headers, [FAILED]: id } })
      if (res.headers[FAILED]) {
        const err = failures.get(id)
        failures.delete(id)
        throw err
      }
      if (res.headers[NOT_FOUND]) return reply.callNotFound()
      for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !NOT_COPIED.has(name)) reply.header(name, value)
      return reply.code(res.statusCode).send(res.rawPayload.length > 0 ? res.rawPayload : undefined)
    },
  }
}
