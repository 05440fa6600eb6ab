import { randomUUID } from 'node:crypto'

// A caller-chosen id is kept so a client's logs and ours share it, but only when it is
// short and plain: it is echoed in headers and written to every log line.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/

/** The incoming X-Request-Id when it is safe to reuse, a fresh UUID otherwise. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID()
}
