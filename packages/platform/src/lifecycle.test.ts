import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { captureLogs } from './observability/log-capture.js'
import { createStopper, runMain } from './lifecycle.js'

/** A stand-in for `process`: signals are emitted by the test, exits are recorded. */
function fakeProcess() {
  const emitter = new EventEmitter()
  const codes: number[] = []
  let onExit: (code: number) => void = () => {}
  const proc = Object.assign(emitter, {
    exit(code: number) {
      codes.push(code)
      onExit(code)
    },
  })
  const nextExit = () => new Promise<number>((resolve) => (onExit = resolve))
  return { proc, codes, nextExit }
}

function deferred() {
  let resolve: () => void = () => {}
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

test('when start fails, then the error is logged as fatal and the process exits 1', async () => {
  const { log, lines } = captureLogs()
  const { proc, codes } = fakeProcess()
  await runMain(
    async () => {
      throw new Error('database unreachable')
    },
    { log, process: proc },
  )
  assert.deepEqual(codes, [1])
  const fatal = lines.find((l) => l['msg'] === 'start failed')
  assert.equal(fatal?.['level'], 'fatal')
  assert.match(String((fatal?.['err'] as { message: string }).message), /database unreachable/)
})

test('when SIGTERM arrives, then stop runs once, in-flight work finishes, and the process exits 0', async () => {
  const { log, lines } = captureLogs()
  const { proc, codes, nextExit } = fakeProcess()
  const inFlight = deferred()
  let stops = 0
  await runMain(
    async () => ({
      async stop() {
        stops++
        await inFlight.promise
      },
    }),
    { log, process: proc, graceMs: 60_000 },
  )
  assert.equal(proc.listenerCount('SIGTERM'), 1)

  const exited = nextExit()
  proc.emit('SIGTERM', 'SIGTERM')
  assert.equal(stops, 1)
  assert.deepEqual(codes, [], 'waits for in-flight work')
  inFlight.resolve()
  assert.equal(await exited, 0)
  assert.equal(stops, 1)
  assert.deepEqual(
    lines.map((l) => l['msg']),
    ['started', 'shutting down', 'stopped'],
  )
  assert.equal(lines[1]?.['signal'], 'SIGTERM')
})

test('when stop hangs past the grace period, then the process is forced down with exit 1', async () => {
  const { log, lines } = captureLogs()
  const { proc, nextExit } = fakeProcess()
  await runMain(async () => ({ stop: () => new Promise<void>(() => {}) }), { log, process: proc, graceMs: 20 })
  const exited = nextExit()
  proc.emit('SIGINT', 'SIGINT')
  assert.equal(await exited, 1)
  assert.ok(lines.some((l) => l['msg'] === 'shutdown exceeded its grace period, forcing exit' && l['level'] === 'error'))
})

test('when a second signal arrives during shutdown, then the process exits at once without a second stop', async () => {
  const { log } = captureLogs()
  const { proc, codes } = fakeProcess()
  let stops = 0
  await runMain(
    async () => ({
      stop() {
        stops++
        return new Promise<void>(() => {})
      },
    }),
    { log, process: proc, graceMs: 60_000 },
  )
  proc.emit('SIGTERM', 'SIGTERM')
  proc.emit('SIGINT', 'SIGINT')
  assert.deepEqual(codes, [1])
  assert.equal(stops, 1)
})

test('when stop rejects, then the error is logged and the process exits 1', async () => {
  const { log, lines } = captureLogs()
  const { proc, nextExit } = fakeProcess()
  await runMain(async () => ({ stop: async () => Promise.reject(new Error('pool end failed')) }), { log, process: proc, graceMs: 60_000 })
  const exited = nextExit()
  proc.emit('SIGTERM', 'SIGTERM')
  assert.equal(await exited, 1)
  assert.ok(lines.some((l) => l['msg'] === 'stop failed'))
})

test('when stop callbacks are collected, then they run once, in reverse order, all of them even if one fails', async () => {
  const stopper = createStopper()
  const order: string[] = []
  stopper.add(() => void order.push('db'))
  stopper.add(async () => {
    order.push('consumers')
    throw new Error('consumer stuck')
  })
  const { add } = stopper // methods work detached, as composition roots pass them around
  add(async () => {
    await Promise.resolve()
    order.push('http')
  })
  const first = stopper.stop()
  assert.equal(stopper.stop(), first, 'a second stop() is the same shutdown')
  await assert.rejects(first, /consumer stuck/)
  assert.deepEqual(order, ['http', 'consumers', 'db'])
  assert.throws(() => stopper.add(() => {}), /after stop/)
})

test('when several stop callbacks fail, then one AggregateError carries all of them', async () => {
  const stopper = createStopper()
  stopper.add(() => Promise.reject(new Error('a')))
  stopper.add(() => Promise.reject(new Error('b')))
  const err = await stopper.stop().then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof AggregateError)
  assert.deepEqual(
    err.errors.map((e: Error) => e.message),
    ['b', 'a'],
  )
})

test('when a real process gets SIGTERM, then it logs JSON, finishes stop and exits 0', async () => {
  // Real signals are the point here; the fake process above cannot prove the wiring to `process`.
  const lifecycle = new URL('./lifecycle.ts', import.meta.url).href
  const logModule = new URL('./observability/log.ts', import.meta.url).href
  const script = `
    const { runMain } = await import(${JSON.stringify(lifecycle)})
    const { createLogger } = await import(${JSON.stringify(logModule)})
    const log = createLogger({ service: 'child' })
    const keepAlive = setInterval(() => {}, 1000)
    await runMain(async () => ({ stop: async () => { clearInterval(keepAlive); log.info('drained') } }), { log })
  `
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] })
  const lines: Array<Record<string, unknown>> = []
  let buffered = ''
  const started = new Promise<void>((resolve) =>
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      const parts = buffered.split('\n')
      buffered = parts.pop() ?? ''
      for (const p of parts) lines.push(JSON.parse(p) as Record<string, unknown>)
      if (lines.some((l) => l['msg'] === 'started')) resolve()
    }),
  )
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  await started
  child.kill('SIGTERM')
  assert.equal(await exited, 0)
  assert.deepEqual(
    lines.map((l) => l['msg']),
    ['started', 'shutting down', 'drained', 'stopped'],
  )
  assert.equal(lines[0]?.['service'], 'child')
})
