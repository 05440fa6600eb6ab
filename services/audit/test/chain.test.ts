import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import pg from 'pg'
import { newEnvelope } from '@brokerage/contracts'
import { SAMPLE_DATA } from '@brokerage/contracts/testing'
import { checkpoint, fromDb, hashRow, ROW_COLUMNS, verifyChain, type DbRow } from '../src/chain.js'
import { startHarness } from './harness.js'

const ROWS = 10

/** A log of ROWS deposits, and a superuser session with the append-only triggers off, as a tamperer would have. */
async function tamperable(t: TestContext) {
  const h = await startHarness(t)
  await h.publish(...Array.from({ length: ROWS }, () => newEnvelope('DepositRequested', SAMPLE_DATA.DepositRequested)))
  await h.stored(ROWS)
  const su = new pg.Client({ connectionString: h.databaseUrl })
  su.on('error', () => {})
  await su.connect()
  h.after(() => su.end())
  await su.query('SET session_replication_role = replica')
  return { ...h, su }
}

test('when the log is untouched, then verify passes over every row', async (t) => {
  const h = await tamperable(t)
  const r = await verifyChain(h.db)
  assert.deepEqual(r, { intact: true, rows: ROWS, headSequence: ROWS, headHash: (await h.head()).hash })
})

test('when a row is updated, deleted or the log truncated, then the database refuses', async (t) => {
  const h = await tamperable(t)
  await assert.rejects(h.db.query(`UPDATE audit_log SET type = 'X' WHERE sequence = 3`), /append-only: UPDATE/)
  await assert.rejects(h.db.query('DELETE FROM audit_log WHERE sequence = 3'), /append-only: DELETE/)
  await assert.rejects(h.db.query('TRUNCATE audit_log'), /append-only: TRUNCATE/)
  const { rows } = await h.db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_log'::regclass`,
  )
  await assert.rejects(h.db.query(`TRUNCATE ${rows[0]!.name}`), /append-only: TRUNCATE/)
  assert.equal((await verifyChain(h.db)).intact, true)
})

test('when a row is edited in SQL, then verify names it EDITED', async (t) => {
  const h = await tamperable(t)
  await h.su.query(`UPDATE audit_log SET data = jsonb_set(data, '{amount}', '1') WHERE sequence = 4`)
  const r = await verifyChain(h.db)
  assert.equal(r.intact, false)
  assert.equal(r.problem, 'EDITED')
  assert.equal(r.problemSequence, 4)
})

test('when a row is deleted in SQL, then verify names it REMOVED', async (t) => {
  const h = await tamperable(t)
  await h.su.query('DELETE FROM audit_log WHERE sequence = 4')
  const r = await verifyChain(h.db)
  assert.equal(r.problem, 'REMOVED')
  assert.equal(r.problemSequence, 4)
})

test('when a row is inserted in SQL (later rows renumbered, its own hash forged correctly), then verify names it INSERTED', async (t) => {
  const h = await tamperable(t)
  const { rows } = await h.su.query<DbRow>(`SELECT ${ROW_COLUMNS} FROM audit_log WHERE sequence = 4`)
  const model = fromDb(rows[0]!)
  await h.su.query('UPDATE audit_log SET sequence = -(sequence + 1) WHERE sequence >= 5')
  await h.su.query('UPDATE audit_log SET sequence = -sequence WHERE sequence < 0')
  const forged = { ...model, eventId: '11111111-1111-4111-8111-111111111111', offset: 999, prevHash: model.hash }
  await h.su.query(
    `INSERT INTO audit_log (sequence, recorded_at, topic, partition, "offset", event_id, type, version, occurred_at, key, correlation_id,
       causation_id, traceparent, headers, data, raw, order_ids, customer_ids, prev_hash, hash)
     VALUES (5, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
    [
      forged.recordedAt,
      forged.topic,
      forged.partition,
      forged.offset,
      forged.eventId,
      forged.type,
      forged.version,
      forged.occurredAt,
      forged.key,
      forged.correlationId,
      forged.causationId,
      forged.traceparent,
      forged.headers,
      JSON.stringify(forged.data),
      forged.raw,
      forged.orderIds,
      forged.customerIds,
      forged.prevHash,
      hashRow(forged.prevHash, forged),
    ],
  )
  const r = await verifyChain(h.db)
  assert.equal(r.problem, 'INSERTED')
  assert.equal(r.problemSequence, 5)
})

test('when the tail is cut and the head rewritten to match, then verify alone passes but verify against an earlier checkpoint names the rows REMOVED', async (t) => {
  const h = await tamperable(t)
  const cp = await checkpoint(h.db)
  assert.equal(cp.sequence, ROWS)
  await h.su.query(`DELETE FROM audit_log WHERE sequence > ${ROWS - 2}`)
  await h.su.query(`UPDATE chain_head SET sequence = s.sequence, hash = s.hash FROM audit_log s WHERE s.sequence = ${ROWS - 2}`)
  assert.equal((await verifyChain(h.db)).intact, true)
  const r = await verifyChain(h.db, { checkpoint: cp })
  assert.equal(r.problem, 'REMOVED')
  assert.equal(r.problemSequence, ROWS)
})

const cli = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))
const run = (databaseUrl: string, ...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl } }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
  )

test('when `audit checkpoint` and `audit verify` run, then verify exits 0 on the untouched log and 1 naming the edited row', async (t) => {
  const h = await tamperable(t)
  const file = join(await mkdtemp(join(tmpdir(), 'audit-cp-')), 'head.json')
  assert.equal((await run(h.databaseUrl, 'checkpoint', '--out', file)).code, 0)
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), await checkpoint(h.db))
  assert.equal((await run(h.databaseUrl, 'verify', '--checkpoint', file)).code, 0)
  await h.su.query(`UPDATE audit_log SET key = 'someone else' WHERE sequence = 7`)
  const bad = await run(h.databaseUrl, 'verify', '--checkpoint', file)
  assert.equal(bad.code, 1)
  assert.match(bad.stdout, /"problem": "EDITED"/)
  assert.match(bad.stdout, /"problemSequence": 7/)
})
