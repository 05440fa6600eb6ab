import assert from 'node:assert/strict'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'node:test'
import { ASSET_NAME, CUSTOMER_STATUSES, MOVEMENT_KINDS, MOVEMENT_STATUSES, ORDER_STATUSES, SIDES, TIERS } from './vocabulary.js'

const SERVICES = fileURLToPath(new URL('../../../services/', import.meta.url))

/** Every `column text … CHECK (column IN (…))` of every service's migrations, by table. */
function sqlChecks(): Array<{ where: string; table: string; column: string; values: string[] }> {
  const found = []
  for (const service of readdirSync(SERVICES)) {
    const dir = join(SERVICES, service, 'migrations')
    if (!existsSync(dir)) continue
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql'))) {
      let table = ''
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        table = /CREATE TABLE (\w+)/.exec(line)?.[1] ?? table
        const m = /^\s*(\w+) text[^,]*CHECK \(\1 IN \(([^)]*)\)\)/.exec(line)
        if (m)
          found.push({ where: `${service}/${file}`, table, column: m[1]!, values: [...m[2]!.matchAll(/'([^']*)'/g)].map((v) => v[1]!) })
      }
    }
  }
  return found
}

describe('vocabulary', () => {
  test('when asset names are checked, then 2–12 capital letters or digits starting with a letter pass and nothing else', () => {
    for (const ok of ['AB', 'AAPL', 'XU030', 'TRY', 'ABCDEFGHIJKL']) assert.ok(ASSET_NAME.test(ok), ok)
    for (const bad of ['', 'A', 'ABCDEFGHIJKLM', '1ABC', 'aapl', 'BRK.B', 'A-B', 'ÄPL', ' AAPL', 'AAPL\n']) {
      assert.ok(!ASSET_NAME.test(bad), JSON.stringify(bad))
    }
  })

  test("when a service's SQL CHECK lists a shared word's values, then they are exactly the vocabulary's", () => {
    const expected: Record<string, readonly string[]> = {
      side: SIDES,
      tier: TIERS,
      'customers.status': CUSTOMER_STATUSES,
      'orders.status': ORDER_STATUSES,
      'movements.kind': MOVEMENT_KINDS,
      'movements.status': MOVEMENT_STATUSES,
    }
    const checked = new Set<string>()
    for (const c of sqlChecks()) {
      const word = expected[c.column] ? c.column : `${c.table}.${c.column}`
      if (!expected[word]) continue
      assert.deepEqual([...c.values].sort(), [...expected[word]].sort(), `${c.where}: ${c.table}.${c.column}`)
      checked.add(word)
    }
    assert.deepEqual([...checked].sort(), Object.keys(expected).sort(), 'every shared word has a CHECK somewhere')
  })
})
