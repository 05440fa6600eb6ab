import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { HttpServer } from '@brokerage/platform'

/**
 * OpenAPI 3 generated from the routes' own JSON schemas (the ones that validate requests),
 * served at /docs/json, with Swagger UI at /docs. Registered before the routes, whose
 * definitions it collects as they are added.
 */
export async function registerDocs(app: HttpServer): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Brokerage API',
        version: '1.0.0',
        description:
          'Version 1, at /api/v1; /api is an alias of the current version. ' +
          'Amounts, sizes and prices are JSON integers in minor units; ids are UUIDs; times ISO-8601 UTC. ' +
          'Errors: {error: {code, message, details?}, requestId}. POST routes honour Idempotency-Key.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
}
