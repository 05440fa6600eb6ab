import { fastify, type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify'
import type { HttpServer } from '@brokerage/platform'

const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Brokerage API',
    version: '1.0.0',
    description:
      'Version 1, at /api/v1; /api is an alias of the current version. ' +
      'Amounts, sizes and prices are JSON integers in minor units; ids are UUIDs; times ISO-8601 UTC. ' +
      'Errors: {error: {code, message, details?}, requestId}. POST routes honour Idempotency-Key.',
  },
  components: { securitySchemes: { bearerAuth: { type: 'http' as const, scheme: 'bearer', bearerFormat: 'JWT' } } },
}

// Hop-by-hop or recomputed when the gateway sends the answer on.
const NOT_COPIED = new Set(['content-length', 'connection', 'keep-alive', 'transfer-encoding', 'date'])
// What the private instance answers for a path it has no page for: the gateway's own 404 then.
const NOT_FOUND = 'x-docs-not-found'

/**
 * OpenAPI 3 generated from the routes' own JSON schemas (the ones that validate requests),
 * served at /docs/json, with Swagger UI at /docs. Registered before the routes, whose
 * definitions it collects as they are added.
 *
 * Built on the first request to /docs: @fastify/swagger, Swagger UI and the static files plugin
 * were ≈ 3–4 MB of an idle gateway's memory for a page an operator opens now and then. The
 * collected routes are declared again (schemas only, nothing compiled) on a private fastify
 * instance with both plugins, which answers /docs requests handed over by `inject`.
 */
export async function registerDocs(app: HttpServer): Promise<void> {
  const routes: RouteOptions[] = []
  app.addHook('onRoute', (route) => {
    // As @fastify/swagger does: the HEAD twin of a GET route is not listed.
    if (route.method !== 'HEAD') routes.push(route)
  })

  let docs: Promise<FastifyInstance> | undefined
  const build = async () => {
    const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([import('@fastify/swagger'), import('@fastify/swagger-ui')])
    const d = fastify({ exposeHeadRoutes: false })
    // Only described here: the gateway's own instance validates and serializes.
    d.setValidatorCompiler(() => () => true)
    d.setSerializerCompiler(() => (data) => JSON.stringify(data))
    d.setNotFoundHandler((_req, reply) => reply.code(404).header(NOT_FOUND, '1').send())
    await d.register(swagger, { openapi: OPENAPI })
    await d.register(swaggerUi, { routePrefix: '/docs' })
    await d.register(async (described) => {
      for (const r of routes) {
        if (r.url === '/docs' || r.url.startsWith('/docs/')) continue
        const { method, url, schema, config, links } = r as RouteOptions & { links?: unknown }
        described.route({ method, url, schema, config, links, handler: (_req, reply) => reply.callNotFound() } as RouteOptions)
      }
    })
    await d.ready()
    return d
  }

  const handOver = async (req: FastifyRequest, reply: FastifyReply) => {
    docs ??= build().catch((err: unknown) => {
      docs = undefined
      throw err
    })
    // GET also for HEAD: fastify answers a HEAD with the GET route's headers and no body.
    const res = await (await docs).inject({ method: 'GET', url: req.url, headers: req.headers })
    if (res.headers[NOT_FOUND]) return reply.callNotFound()
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined && !NOT_COPIED.has(name)) reply.header(name, value)
    return reply.code(res.statusCode).send(res.rawPayload.length > 0 ? res.rawPayload : undefined)
  }
  app.get('/docs', { schema: { hide: true } }, handOver)
  app.get('/docs/*', { schema: { hide: true } }, handOver)
}
