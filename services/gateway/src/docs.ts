import type { RouteOptions } from 'fastify'
import type { HttpServer } from '@brokerage/platform'
import { privateInstance } from './plugins/hand-over.js'

const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'Brokerage API',
    version: '1.0.0',
    description:
      'Version 1, at /api/v1; /api is an alias of the current version. ' +
      'Amounts, sizes and prices are JSON integers in minor units; ids are UUIDs; times ISO-8601 UTC. ' +
      'Errors: {error: {code, message, details?}, requestId}. POST routes honour Idempotency-Key (sign-out, which ends the caller’s session, runs each time).',
  },
  components: { securitySchemes: { bearerAuth: { type: 'http' as const, scheme: 'bearer', bearerFormat: 'JWT' } } },
}

/**
 * OpenAPI 3 generated from the routes' own JSON schemas (the ones that validate requests),
 * served at /docs/json, with Swagger UI at /docs. Registered before the routes, whose
 * definitions it collects as they are added.
 *
 * Built on the first request to /docs: @fastify/swagger, Swagger UI and the static files plugin
 * were ≈ 3–4 MB of an idle gateway's memory for a page an operator opens now and then. The
 * collected routes are declared again (schemas only, nothing compiled) on a private fastify
 * instance with both plugins (plugins/hand-over.ts), which answers /docs requests.
 */
export async function registerDocs(app: HttpServer): Promise<void> {
  const routes: RouteOptions[] = []
  app.addHook('onRoute', (route) => {
    // As @fastify/swagger does: the HEAD twin of a GET route is not listed.
    if (route.method !== 'HEAD') routes.push(route)
  })

  const docs = privateInstance(async (d) => {
    const [{ default: swagger }, { default: swaggerUi }] = await Promise.all([import('@fastify/swagger'), import('@fastify/swagger-ui')])
    // Only described here: the gateway's own instance validates and serializes.
    d.setValidatorCompiler(() => () => true)
    d.setSerializerCompiler(() => (data) => JSON.stringify(data))
    await d.register(swagger, { openapi: OPENAPI })
    await d.register(swaggerUi, { routePrefix: '/docs' })
    await d.register(async (described) => {
      for (const r of routes) {
        if (r.url === '/docs' || r.url.startsWith('/docs/')) continue
        const { method, url, schema, config, links } = r as RouteOptions & { links?: unknown }
        described.route({ method, url, schema, config, links, handler: (_req, reply) => reply.callNotFound() } as RouteOptions)
      }
    })
  })
  app.get('/docs', { schema: { hide: true } }, docs.handOver)
  app.get('/docs/*', { schema: { hide: true } }, docs.handOver)
}
