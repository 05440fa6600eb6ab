import { test } from 'node:test'
import assert from 'node:assert/strict'
import { context, trace, TraceFlags } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { addLogFields, logContext, withLogContext } from './log.js'
import { captureLogs } from './log-capture.js'

const captureLogger = () => captureLogs({ service: 'test-svc', level: 'info' })

test('when an object-first line is logged, then it is one JSON object with service, level name, time and fields', () => {
  const { log, lines } = captureLogger()
  log.info({ orderId: 'o-1' }, 'order stored')
  log.debug('below the level')
  assert.equal(lines.length, 1)
  const [line] = lines
  assert.equal(line?.['service'], 'test-svc')
  assert.equal(line?.['level'], 'info')
  assert.equal(line?.['msg'], 'order stored')
  assert.equal(line?.['orderId'], 'o-1')
  assert.match(String(line?.['time']), /^\d{4}-\d\d-\d\dT/)
})

test('when logging inside a log context across an await, then the context fields are on every line', async () => {
  const { log, lines } = captureLogger()
  await withLogContext({ requestId: 'r-1', customerId: 'c-1' }, async () => {
    await Promise.resolve()
    await withLogContext({ orderId: 'o-9' }, async () => {
      await new Promise<void>((resolve) => setImmediate(resolve))
      log.info('nested')
    })
    addLogFields({ customerId: 'c-2' })
    log.info({ requestId: 'explicit-wins' }, 'outer')
    assert.deepEqual(logContext(), { requestId: 'r-1', customerId: 'c-2' })
  })
  log.info('outside')
  assert.deepEqual(
    lines.map((l) => [l['msg'], l['requestId'], l['customerId'], l['orderId']]),
    [
      ['nested', 'r-1', 'c-1', 'o-9'],
      ['outer', 'explicit-wins', 'c-2', undefined],
      ['outside', undefined, undefined, undefined],
    ],
  )
  assert.deepEqual(logContext(), {})
})

test('when a span is active, then its trace and span ids are on the line', () => {
  const manager = new AsyncLocalStorageContextManager()
  context.setGlobalContextManager(manager)
  try {
    const { log, lines } = captureLogger()
    const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED }
    context.with(trace.setSpanContext(context.active(), spanContext), () => log.info('in span'))
    assert.equal(lines[0]?.['traceId'], spanContext.traceId)
    assert.equal(lines[0]?.['spanId'], spanContext.spanId)
  } finally {
    context.disable()
  }
})
