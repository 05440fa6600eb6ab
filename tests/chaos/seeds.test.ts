// The CI form of `npm run chaos`: a few fixed seeds, briefly. Each run has a PostgreSQL of its
// own (not the suite's shared one): freezing the server is one of the faults.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runChaos } from './run.js'

for (const seed of [1, 29]) {
  test(`when chaos seed ${seed} runs for half a minute, then every invariant holds after the platform settles`, async (t) => {
    const r = await runChaos({ seed, minutes: 0.5, log: (line) => t.diagnostic(line) })
    t.diagnostic(`seed=${r.seed} faults=${r.faults} operations=${r.operations} violations=${r.violations.length}`)
    assert.ok(r.faults >= 1, 'a fault was injected')
    assert.ok(r.operations > 0, 'the load ran')
    assert.deepEqual(r.violations, [], `replay: npm run chaos -- --seed ${seed} --minutes 0.5`)
  })
}
