import { createLogger } from './log.js'
import type { Logger } from './log.js'

/**
 * A logger whose JSON lines land, parsed and synchronously, in `lines`: tests assert
 * what was logged (an unexpected error, the request line) instead of mocking pino.
 */
export function captureLogs(opts: { service?: string; level?: string } = {}): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = []
  const log = createLogger({
    service: opts.service ?? 'test',
    level: opts.level ?? 'debug',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  })
  return { log, lines }
}
