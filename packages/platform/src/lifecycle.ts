import { createLogger, type Logger } from './observability/log.js'

/** The slice of `process` runMain touches, so tests can drive signals and observe exits. */
export interface ProcessPort {
  on(event: string, listener: (arg: unknown) => void): unknown
  exit(code: number): void
}

export interface Stoppable {
  stop(): Promise<void>
}

export interface RunMainOptions {
  log: Logger
  /** How long stop() may take before the process is forced down. */
  graceMs?: number
  process?: ProcessPort
}

/**
 * Runs a service's start and owns the process from then on: a failed start crashes
 * loudly with exit code 1; the first SIGINT/SIGTERM calls stop() once so in-flight work
 * finishes, a timer forces exit 1 after graceMs, and a second signal exits at once.
 * Signal handlers are installed only after start resolves: before that there is no
 * in-flight work to protect, and Node's default (die) is the right answer.
 */
export async function runMain(start: () => Promise<Stoppable>, opts: RunMainOptions): Promise<void> {
  const { log, graceMs = 10_000 } = opts
  const proc: ProcessPort = opts.process ?? process
  let graceTimer: NodeJS.Timeout | undefined
  const exit = (code: number): void => {
    clearTimeout(graceTimer)
    log.flush()
    proc.exit(code)
  }

  // Node would print these too, but as plain text; the JSON line keeps them searchable.
  proc.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception')
    exit(1)
  })
  proc.on('unhandledRejection', (err) => {
    log.fatal({ err }, 'unhandled rejection')
    exit(1)
  })

  let running: Stoppable
  try {
    running = await start()
  } catch (err) {
    log.fatal({ err }, 'start failed')
    exit(1)
    return
  }

  let stopping = false
  const onSignal = (signal: unknown): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal during shutdown, exiting now')
      exit(1)
      return
    }
    stopping = true
    log.info({ signal, graceMs }, 'shutting down')
    // Not unref'd: if stop() hangs on nothing that holds the loop, exit code 1 still wins.
    graceTimer = setTimeout(() => {
      log.error({ graceMs }, 'shutdown exceeded its grace period, forcing exit')
      exit(1)
    }, graceMs)
    running.stop().then(
      () => {
        log.info('stopped')
        exit(0)
      },
      (err: unknown) => {
        log.error({ err }, 'stop failed')
        exit(1)
      },
    )
  }
  proc.on('SIGINT', onSignal)
  proc.on('SIGTERM', onSignal)
  // Only now: whoever waits for this line (a supervisor, a test) may signal at once.
  log.info('started')
}

/**
 * The whole of a service's main.ts. Reading the configuration belongs inside `start`, so
 * a bad variable fails the way an unreachable database does (one fatal JSON line, exit 1)
 * rather than as a raw stack trace from a top-level await.
 */
export function runService(service: string, start: () => Promise<Stoppable>, opts: Omit<RunMainOptions, 'log'> = {}): Promise<void> {
  return runMain(start, { ...opts, log: createLogger({ service }) })
}

export type StopFn = () => Promise<void> | void

/**
 * Collects stop callbacks as resources are created and runs them in reverse, so a
 * composition root reads top to bottom and tears down bottom to top (HTTP server before
 * consumers before the database pool). Every callback runs even if an earlier one fails.
 */
export function createStopper() {
  const fns: StopFn[] = []
  let stopped: Promise<void> | undefined

  return {
    add(fn: StopFn): void {
      if (stopped) throw new Error('createStopper: add() after stop()')
      fns.push(fn)
    },
    /** Idempotent: a second call returns the first call's promise. */
    stop(): Promise<void> {
      stopped ??= (async () => {
        const errors: unknown[] = []
        for (const fn of [...fns].reverse()) {
          try {
            await fn()
          } catch (err) {
            errors.push(err)
          }
        }
        if (errors.length === 1) throw errors[0]
        if (errors.length > 1) throw new AggregateError(errors, `${errors.length} stop callbacks failed`)
      })()
      return stopped
    },
  }
}

export type Stopper = ReturnType<typeof createStopper>
