/* global process, fetch, AbortSignal -- runs as plain Node in the image, outside the TypeScript projects */
// The image's HEALTHCHECK: the service's readiness on its HTTP port (a real database and
// broker round trip). Node has fetch, so the slim image needs no curl.
const port = process.env.HTTP_PORT || process.env.PORT || '8080'
try {
  const res = await fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2500) })
  process.exit(res.ok ? 0 : 1)
} catch {
  process.exit(1)
}
