import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { newEnvelope } from '@brokerage/contracts'
import { SAMPLE_DATA } from '@brokerage/contracts/testing'
import { archive } from '../src/archive.js'
import { verifyChain } from '../src/chain.js'
import { startHarness } from './harness.js'

const deposits = (n: number) => Array.from({ length: n }, () => newEnvelope('DepositRequested', SAMPLE_DATA.DepositRequested))

test('when months older than the retention are archived, then their rows leave for a file whose hash joins the chain, and verify still passes', async (t) => {
  let clock = new Date(Date.UTC(2025, 0, 15))
  const h = await startHarness(t, { now: () => clock })
  await h.publish(...deposits(3))
  await h.stored(3)
  clock = new Date(Date.UTC(2025, 1, 10))
  await h.publish(...deposits(2))
  await h.stored(5)
  clock = new Date(Date.UTC(2025, 3, 2))
  await h.publish(...deposits(1))
  await h.stored(6)

  const dir = await mkdtemp(join(tmpdir(), 'audit-archive-'))
  const done = await archive(h.db, { olderThanMonths: 1, dir, now: clock })
  assert.deepEqual(
    done.map((a) => [a.partition, a.rows, a.fromSequence, a.toSequence]),
    [
      ['audit_log_2025_01', 3, 1, 3],
      ['audit_log_2025_02', 2, 4, 5],
    ],
  )
  const january = await readFile(done[0]!.file)
  assert.equal(createHash('sha256').update(january).digest('hex'), done[0]!.sha256)
  const lines = gunzipSync(january)
    .toString()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
  assert.deepEqual(
    lines.map((l) => l.sequence),
    [1, 2, 3],
  )

  const { rows } = await h.db.query(`SELECT sequence, data FROM audit_log WHERE type = 'AuditArchived' ORDER BY sequence`)
  assert.deepEqual(
    rows.map((r) => r.data.sha256),
    done.map((a) => a.sha256),
  )
  assert.equal((await h.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE sequence <= 5`)).rows[0]!.n, 0)
  assert.equal(await h.db.query(`SELECT to_regclass('audit_log_2025_01') AS t`).then((r) => r.rows[0]!.t), null)
  const r = await verifyChain(h.db)
  assert.equal(r.intact, true, JSON.stringify(r))
  assert.equal(r.headSequence, 8)

  // New records keep chaining after the archive records.
  await h.publish(...deposits(1))
  await h.stored(9)
  assert.equal((await verifyChain(h.db)).intact, true)
})
