import type { TestContext } from 'node:test'
import { eventually, serviceUnderTest } from '@brokerage/platform/testing'
import { startAuditService, AUDITED_TOPICS, CONSUMER_GROUP } from '../src/app.js'

// One audit service per test, in-process, on its own database and bus: events are published
// as their producers would, and the test waits for the chain head to reach what it published.

export async function startHarness(t: TestContext, o: { now?: () => Date } = {}) {
  const sut = await serviceUnderTest(t, { name: 'audit', group: CONSUMER_GROUP })
  const svc = await sut.start((config) => startAuditService({ config, now: o.now }))
  const client = sut.client(svc, 'audit')

  const head = async () => (await sut.db.query<{ sequence: number; hash: string }>('SELECT sequence, hash FROM chain_head')).rows[0]!

  /** Waits until the log holds `n` rows in all and the group has nothing left to read. */
  async function stored(n: number) {
    await eventually(async () => (await head()).sequence >= n, { what: `${n} rows in the audit log` })
    await sut.settled(AUDITED_TOPICS)
  }

  return { ...sut, svc, client, head, stored }
}
