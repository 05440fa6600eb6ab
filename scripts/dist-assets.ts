// Run by `npm run build` after `tsc -b`. Each workspace compiles `src/` to `dist/src/`, one folder
// deeper than the source, so a path the code builds from its own location (a service's
// `new URL('../migrations/', import.meta.url)`, the contracts' proto and schema folders) would
// miss from dist. Linking every folder beside `src/` into `dist/` (dist/migrations → ../migrations)
// makes those paths hold in both forms, for any workspace, with nothing copied that could go stale.
import { existsSync, lstatSync, readdirSync, readlinkSync, symlinkSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Runs only compiled, as dist/scripts/dist-assets.js: the repository is two levels up. (Not
// scripts/platform.ts's ROOT: that would load the platform package before it is linked.)
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

const SKIP = new Set(['src', 'test', 'dist', 'node_modules'])

for (const group of ['packages', 'services']) {
  for (const workspace of readdirSync(join(ROOT, group), { withFileTypes: true })) {
    const dir = join(ROOT, group, workspace.name)
    const dist = join(dir, 'dist')
    if (!workspace.isDirectory() || !existsSync(dist)) continue
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || SKIP.has(entry.name) || entry.name.startsWith('.')) continue
      const link = join(dist, entry.name)
      const target = join('..', entry.name)
      const existing = lstatSync(link, { throwIfNoEntry: false })
      if (existing?.isSymbolicLink() && readlinkSync(link) === target) continue
      if (existing?.isSymbolicLink()) unlinkSync(link)
      else if (existing) throw new Error(`${link} exists and is not a link to ${target}`)
      symlinkSync(target, link, 'dir')
    }
  }
}
