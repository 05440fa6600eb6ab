/** A readiness check: resolves when the dependency answers for real (SELECT 1, a broker round trip). */
export type HealthCheck = () => Promise<void>

export interface HealthReport {
  status: 'ok' | 'unavailable'
  /** 'ok', or why the check failed. */
  checks: Record<string, string>
}

// Kubernetes gives a probe 1 s by default; a check must give up before the kubelet does,
// so the answer is a 503 naming the slow dependency rather than a bare probe timeout.
export const DEFAULT_CHECK_TIMEOUT_MS = 800

/** Runs every check concurrently, each bounded by timeoutMs; never rejects. */
export async function runChecks(
  checks: Readonly<Record<string, HealthCheck>>,
  timeoutMs: number = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<HealthReport> {
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await runOne(check, timeoutMs)] as const))
  return {
    status: entries.every(([, result]) => result === 'ok') ? 'ok' : 'unavailable',
    checks: Object.fromEntries(entries),
  }
}

async function runOne(check: HealthCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${timeoutMs}ms`), timeoutMs)
  })
  try {
    // Promise.resolve().then: a check that throws synchronously is a failure, not a crash.
    const outcome = Promise.resolve()
      .then(check)
      .then(
        () => 'ok',
        (err: unknown) => (err instanceof Error ? err.message : String(err)) || 'failed',
      )
    return await Promise.race([outcome, timeout])
  } finally {
    clearTimeout(timer)
  }
}
