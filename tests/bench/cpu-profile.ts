// Summarizes a V8 .cpuprofile (from `node --cpu-prof`, e.g. `CPU_PROFILE=order npm run bench:orders`):
// self time by function and by package or file, so a profile can be read and quoted in BENCHMARKS.md
// without DevTools.
//
//   npx tsx tests/bench/cpu-profile.ts <file.cpuprofile> [TOP=25]
import { readFile } from 'node:fs/promises'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

const file = process.argv[2]
if (!file) {
  console.error('usage: npx tsx tests/bench/cpu-profile.ts <file.cpuprofile>')
  process.exit(2)
}
const TOP = Number(process.env.TOP ?? 25)
const profile = JSON.parse(await readFile(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const selfUs = new Map<number, number>()
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))

/** A node_modules package, a file of the project, or the engine's own entries ("(garbage collector)"). */
function place(url: string): string {
  if (!url) return '(native / engine)'
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/')
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!
  }
  if (url.startsWith('node:')) return url
  const m = /\/(services|packages)\/([^/]+)\/(?:dist\/)?(.*)$/.exec(url)
  return m ? `${m[1]}/${m[2]}/${m[3]}` : url
}

const fn = new Map<string, number>()
const where = new Map<string, number>()
let total = 0
let idle = 0
for (const [id, us] of selfUs) {
  const node = byId.get(id)!
  const { functionName, url, lineNumber } = node.callFrame
  total += us
  if (functionName === '(idle)') {
    idle += us
    continue
  }
  const name = `${functionName || '(anonymous)'} ${place(url)}${url ? `:${lineNumber + 1}` : ''}`
  fn.set(name, (fn.get(name) ?? 0) + us)
  where.set(place(url), (where.get(place(url)) ?? 0) + us)
}
const busy = total - idle
const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`
const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, TOP)
console.log(`profile ${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(2)} s busy (not idle)`)
console.log('\nself time by package / file (share of busy time):')
for (const [k, us] of top(where)) console.log(`${pct(us)}  ${k}`)
console.log('\nself time by function:')
for (const [k, us] of top(fn)) console.log(`${pct(us)}  ${k}`)
