import fp from 'fastify-plugin'

// Browser-facing headers of the gateway, on every answer (errors and 404s too):
// - X-Content-Type-Options: nosniff, so no JSON answer is ever sniffed into HTML or script;
// - Cache-Control: no-store on the API, whose answers are account data (balances, orders,
//   tokens) that no shared or browser cache should keep;
// - Strict-Transport-Security once the gateway is reached over TLS (its PUBLIC_URL is https,
//   or the request came over TLS);
// - CORS for the origins of CORS_ORIGINS only (none by default), preflight answered here,
//   before authentication, since a browser's preflight carries no token.
// Written out rather than taken from @fastify/helmet and @fastify/cors: an API needs four
// headers of helmet's dozen (the rest govern HTML pages) and one exact-match origin rule.

export interface HeaderOptions {
  /** Origins allowed to call the API from a browser, exactly as browsers send them. */
  corsOrigins: readonly string[]
  /** The gateway's public URL, when it sits behind a TLS proxy. */
  publicUrl?: string
}

const ALLOWED_METHODS = 'GET, POST, PUT, DELETE'
const ALLOWED_HEADERS = 'authorization, content-type, idempotency-key, prefer, x-request-id, traceparent, tracestate'
// Headers a browser script may read: what clients act on (retries, paging, replays).
const EXPOSED_HEADERS =
  'x-request-id, retry-after, location, preference-applied, idempotent-replayed, x-ratelimit-limit, x-ratelimit-remaining'
const PREFLIGHT_MAX_AGE_SECONDS = 600
const HSTS = 'max-age=31536000; includeSubDomains'
// The web UI's policy (plugins/web.ts): its own scripts, styles, images and API/WebSocket
// origin only, no inline script, never framed. /docs (Swagger UI) sets inline styles, so it
// alone may use them. Sent on every answer: on JSON it costs nothing and guards a sniffed page.
const UI_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
const DOCS_CSP = UI_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

export const securityHeaders = fp<HeaderOptions>(
  async (app, opts) => {
    const origins = new Set(opts.corsOrigins)
    const behindTls = opts.publicUrl?.startsWith('https:') ?? false

    app.addHook('onRequest', async (req, reply) => {
      reply.header('x-content-type-options', 'nosniff')
      reply.header('content-security-policy', req.url.startsWith('/docs') ? DOCS_CSP : UI_CSP)
      reply.header('x-frame-options', 'DENY')
      reply.header('referrer-policy', 'no-referrer')
      if (req.url.startsWith('/api/') || req.url === '/api') reply.header('cache-control', 'no-store')
      if (behindTls || req.protocol === 'https') reply.header('strict-transport-security', HSTS)

      const origin = req.headers.origin
      if (typeof origin !== 'string' || !origins.has(origin)) {
        // Answers differ by origin, so caches must key on it even when this one is refused.
        if (origin !== undefined) reply.header('vary', 'Origin')
        return
      }
      reply.header('access-control-allow-origin', origin)
      reply.header('vary', 'Origin')
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
        reply.header('access-control-allow-methods', ALLOWED_METHODS)
        reply.header('access-control-allow-headers', ALLOWED_HEADERS)
        reply.header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
        return reply.code(204).send()
      }
      reply.header('access-control-expose-headers', EXPOSED_HEADERS)
    })
  },
  { name: 'security-headers' },
)
