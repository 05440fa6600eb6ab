// The audit log's tools, run against the audit database (DATABASE_URL, default: the `npm start`
// embedded server's brokerage_audit):
//   npm run audit -- verify [--checkpoint <file>]      walks the chain; exit 1 naming the first tampered row
//   npm run audit -- checkpoint [--out <file>]         the chain head (sequence, hash, time) as JSON, for an outside party
//   npm run audit -- archive --older-than <months> [--dir <dir>]   old months to gzipped JSON lines, joined to the chain
import { readFile, writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { createDb } from '@brokerage/platform/postgres'
import { archive } from '../archive.js'
import { checkpoint, verifyChain, type Checkpoint } from '../chain.js'

const usage =
  'usage: audit verify [--checkpoint <file>] | audit checkpoint [--out <file>] | audit archive --older-than <months> [--dir <dir>]'

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      checkpoint: { type: 'string' },
      out: { type: 'string' },
      'older-than': { type: 'string' },
      dir: { type: 'string', default: 'audit-archive' },
    },
  })
  const [cmd] = positionals
  const db = createDb({
    url: process.env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${process.env.PG_PORT ?? 54329}/brokerage_audit`,
    applicationName: 'audit-cli',
  })
  try {
    switch (cmd) {
      case 'verify': {
        const cp = values.checkpoint ? (JSON.parse(await readFile(values.checkpoint, 'utf8')) as Checkpoint) : undefined
        const result = await verifyChain(db, { checkpoint: cp })
        console.log(JSON.stringify(result, null, 2))
        return result.intact ? 0 : 1
      }
      case 'checkpoint': {
        const json = JSON.stringify(await checkpoint(db), null, 2)
        if (values.out) await writeFile(values.out, `${json}\n`)
        console.log(json)
        return 0
      }
      case 'archive': {
        const months = Number(values['older-than'])
        if (!Number.isInteger(months) || months < 1) {
          console.error('--older-than must be a whole number of months, 1 or more')
          return 2
        }
        console.log(JSON.stringify(await archive(db, { olderThanMonths: months, dir: values.dir! }), null, 2))
        return 0
      }
      default:
        console.error(usage)
        return 2
    }
  } finally {
    await db.close()
  }
}

process.exitCode = await main(process.argv.slice(2))
