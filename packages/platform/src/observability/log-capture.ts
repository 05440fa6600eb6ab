import { createLogger } from './log.js'
import type { Logger } from './log.js'

/**
 * A logger whose JSON lines land, parsed and synchronously, in `lines`: tests assert
 * what was logged (an unexpected error, the request line) instead of mocking pino.
 */
export function captureLogs(opts: { service?: string; level?: string } = {}): {
  log: Logger
  lines: Array<Record<string, unknown>>
  /** The lines as written, for what parsing hides (a key written twice). */
  raw: string[]
} {
  const lines: Array<Record<string, unknown>> = []
  const raw: string[] = []
  const log = createLogger({
    service: opts.service ?? 'test',
    level: opts.level ?? 'debug',
    destination: {
      write(line: string) {
        raw.push(line)
        lines.push(JSON.parse(line) as Record<string, unknown>)
      },
    },
  })
  return { log, lines, raw }
}
