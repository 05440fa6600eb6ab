import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { freePort } from '../src/testing.js'

// Test files run two at a time, each in its own process, each picking ports for the servers it
// starts; a port two of them picked at once failed the second bind (EADDRINUSE, a service exiting
// before it was ready). 400 picks each from ≈ 12,800 ports would share ≈ 12 without the reservation.
test('when another process holds ports from freePort, then this process is never handed one of them', async (t) => {
  const script = fileURLToPath(new URL('./fixtures/pick-ports.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', script, '400'], { stdio: ['pipe', 'pipe', 'inherit'] })
  t.after(() => child.stdin.end())
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string]
  const theirs = new Set(JSON.parse(line) as number[])
  assert.equal(theirs.size, 400)
  const mine: number[] = []
  for (let i = 0; i < 400; i++) mine.push(await freePort())
  assert.deepEqual(
    mine.filter((p) => theirs.has(p)),
    [],
  )
})
