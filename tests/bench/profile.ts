// Per-stage profile of a running platform, read from outside it as a new user would:
// CPU per process from /proc/<pid>/stat, SQL statements per database from pg_stat_statements,
// and batch sizes from whatever each service exposes on /metrics. Nothing here changes the
// product; a benchmark takes a snapshot before and after a measured step and diffs them.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import type { Db } from '@brokerage/platform/postgres'

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

interface ProcStat {
  pid: number
  ppid: number
  /** Identifies the process together with its pid (pids are reused). */
  startTime: number
  /** utime + stime + cutime + cstime in ms: its own CPU and that of every child it has reaped. */
  cpuMs: number
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may contain spaces and parentheses; the fields start after the last ')'.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])
    return { pid, ppid: Number(f[1]), startTime: Number(f[19]), cpuMs: (ticks * 1000) / TICKS_PER_SECOND }
  } catch {
    return undefined // exited between the listing and the read
  }
}

export interface CpuSnapshot {
  at: number
  procs: Map<number, ProcStat & { group: string }>
}

/** CPU of every process under the given roots (group name → root pid), each labelled with its root's group. */
export function cpuSnapshot(roots: Map<string, number>): CpuSnapshot {
  const all = new Map<number, ProcStat>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const s = readStat(Number(name))
    if (s) all.set(s.pid, s)
  }
  const children = new Map<number, number[]>()
  for (const s of all.values()) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid])
  const procs = new Map<number, ProcStat & { group: string }>()
  for (const [group, root] of roots) {
    const queue = [root]
    while (queue.length) {
      const pid = queue.pop()!
      const s = all.get(pid)
      if (!s) continue
      procs.set(pid, { ...s, group })
      queue.push(...(children.get(pid) ?? []))
    }
  }
  return { at: performance.now(), procs }
}

/**
 * CPU ms per group between two snapshots. Exact in total: a process that exited in between
 * was reaped by its parent, whose cutime/cstime now holds its whole life, so its earlier
 * reading is charged against the parent's group. `refine` names a process's group more
 * precisely than its root does (a PostgreSQL backend → its database), the same for both readings.
 */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot, refine = new Map<number, string>()): Map<string, number> {
  const out = new Map<string, number>()
  const groupOf = (p: ProcStat & { group: string }) => refine.get(p.pid) ?? p.group
  const add = (g: string, ms: number) => out.set(g, (out.get(g) ?? 0) + ms)
  for (const p of after.procs.values()) add(groupOf(p), p.cpuMs)
  for (const p of before.procs.values()) {
    const same = after.procs.get(p.pid)
    const heir = same && same.startTime === p.startTime ? same : (after.procs.get(p.ppid) ?? p)
    add(groupOf(heir), -p.cpuMs)
  }
  return out
}

/** The postmaster's pid, found from a backend of ours (works for any server on this machine). */
export async function postmasterPid(db: Db): Promise<number> {
  const self = Number((await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid)
  const stat = readStat(self)
  if (!stat) throw new Error(`cannot read /proc/${self}/stat: is PostgreSQL running on another machine?`)
  return stat.ppid
}

/**
 * Backend pid → group name: `label(database)` for client backends of the platform's databases,
 * `bench (own queries)` for connections whose application_name is `bench`.
 */
export async function backendGroups(db: Db, label: (datname: string) => string | undefined): Promise<Map<number, string>> {
  const rows = (
    await db.query<{ pid: number; datname: string | null; application_name: string }>(
      `SELECT pid, datname, application_name FROM pg_stat_activity WHERE backend_type = 'client backend'`,
    )
  ).rows
  const out = new Map<number, string>()
  for (const r of rows) {
    if (r.application_name === 'bench') out.set(r.pid, 'bench (own queries)')
    else if (r.datname && label(r.datname)) out.set(r.pid, label(r.datname)!)
  }
  return out
}

export interface StatementRow {
  datname: string
  query: string
  calls: number
  rows: number
}

/** Every statement pg_stat_statements holds, keyed by database and query id. */
export async function statementsSnapshot(db: Db): Promise<Map<string, StatementRow>> {
  const res = await db.query<{ key: string; datname: string; query: string; calls: string; rows: string }>(
    `SELECT s.dbid || ':' || s.queryid || ':' || s.toplevel AS key, d.datname, s.query, s.calls, s.rows
       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid`,
  )
  return new Map(res.rows.map((r) => [r.key, { datname: r.datname, query: r.query, calls: Number(r.calls), rows: Number(r.rows) }]))
}

export function statementsDelta(before: Map<string, StatementRow>, after: Map<string, StatementRow>): StatementRow[] {
  const out: StatementRow[] = []
  for (const [key, a] of after) {
    const b = before.get(key)
    const calls = a.calls - (b?.calls ?? 0)
    if (calls > 0) out.push({ ...a, calls, rows: a.rows - (b?.rows ?? 0) })
  }
  return out.sort((x, y) => y.calls - x.calls)
}

/** Sums of every `*batch*` histogram or summary a service exposes, by series. */
export async function batchMetrics(httpUrl: string): Promise<Map<string, { sum: number; count: number }>> {
  const out = new Map<string, { sum: number; count: number }>()
  let text: string
  try {
    text = await (await fetch(`${httpUrl}/metrics`)).text()
  } catch {
    return out
  }
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:]*batch[a-zA-Z_:]*)_(sum|count)(\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line)
    if (!m) continue
    const series = `${m[1]}${m[3] ?? ''}`
    const entry = out.get(series) ?? { sum: 0, count: 0 }
    entry[m[2] as 'sum' | 'count'] = Number(m[4])
    out.set(series, entry)
  }
  return out
}

/** Mean batch size per series between two scrapes (series that saw no batch are left out). */
export function batchDelta(before: Map<string, { sum: number; count: number }>, after: Map<string, { sum: number; count: number }>) {
  const out = new Map<string, { mean: number; batches: number }>()
  for (const [series, a] of after) {
    const b = before.get(series) ?? { sum: 0, count: 0 }
    const batches = a.count - b.count
    if (batches > 0) out.set(series, { mean: (a.sum - b.sum) / batches, batches })
  }
  return out
}
