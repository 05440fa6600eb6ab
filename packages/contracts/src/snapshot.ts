// Publishes the current version of every event: `npx tsx packages/contracts/src/snapshot.ts`.
// Existing snapshots are the record of what was published and are never
// rewritten; the compatibility test compares the code against them.
import { relative } from 'node:path'
import { PUBLISHED_DIR, writeMissingSnapshots } from './compat/published.js'

const written = writeMissingSnapshots()
for (const file of written) console.log(`wrote ${relative(process.cwd(), file)}`)
if (written.length === 0) console.log(`every event version already has a snapshot in ${relative(process.cwd(), PUBLISHED_DIR)}`)
