// The signed-in account: its password, and (a customer's own, or an admin's for a customer) the
// compliance report from the audit service, shown and downloaded as JSON or CSV.
import { useState, type FormEvent } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api, qs, session } from '../api.ts'
import { useApp } from '../context.tsx'
import { useT } from '../i18n.ts'
import { CASH } from '../money.ts'
import { navigate } from '../router.tsx'
import { Amount, dayRange, Empty, Field, Form, FormError, Status, TableWrap, When } from '../ui.tsx'

export function AccountPage() {
  const t = useT()
  const { me } = useApp()
  return (
    <>
      <h1>{t.account}</h1>
      <PasswordChange />
      {me.role === 'CUSTOMER' && <ComplianceReport />}
    </>
  )
}

/** Where the sign-in page tells why it is shown. */
export const PASSWORD_CHANGED = 'password-changed'

function PasswordChange() {
  const t = useT()
  const qc = useQueryClient()
  const [form, setForm] = useState({ currentPassword: '', newPassword: '' })
  const change = useMutation({
    mutationFn: () => api.post<void>('/auth/password', form),
    // Every session of the account ended with it, this one too: back to signing in.
    onSuccess: () => {
      session.set(null)
      qc.clear()
      navigate(`/?${PASSWORD_CHANGED}`, true)
    },
  })
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    change.mutate()
  }
  return (
    <Form className="card" onSubmit={submit} error={change.error} aria-labelledby="password-h">
      <h2 id="password-h">{t.changePassword}</h2>
      <p className="muted">{t.passwordEnds}</p>
      <Field
        label={t.currentPassword}
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        value={form.currentPassword}
        onChange={set('currentPassword')}
        required
      />
      <Field
        label={t.newPassword}
        name="newPassword"
        type="password"
        autoComplete="new-password"
        hint={t.passwordHint}
        value={form.newPassword}
        onChange={set('newPassword')}
        required
      />
      <FormError />
      <button type="submit" className="primary" disabled={change.isPending}>
        {t.changePassword}
      </button>
    </Form>
  )
}

interface ReportLine {
  sequence: number
  occurredAt: string
  kind: string
  eventType: string
  orderId: string | null
  assetName: string
  side: string | null
  size: number
  amount: number
  status: string
}
interface Report {
  customerId: string
  generatedAt: string
  opening: { assetName: string; size: number }[]
  closing: { assetName: string; size: number }[]
  lines: ReportLine[]
  lineCount: number
  chainIntact: boolean
}

/** The compliance report of a period (a customer's own when customerId is left out). */
export function ComplianceReport({ customerId }: { customerId?: string }) {
  const t = useT()
  const [period, setPeriod] = useState({ from: '', to: '' })
  const query = (format: 'json' | 'csv') => `/audit/reports/compliance${qs({ customerId, ...dayRange(period.from, period.to), format })}`
  const show = useMutation({ mutationFn: () => api.get<Report>(query('json')) })
  const save = useMutation({
    mutationFn: async (format: 'json' | 'csv') => {
      const { blob, filename } = await api.download(query(format))
      const a = document.createElement('a')
      a.href = URL.createObjectURL(blob)
      a.download = filename ?? `compliance.${format}`
      a.click()
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
    },
  })
  const set = (k: keyof typeof period) => (e: { target: { value: string } }) => setPeriod({ ...period, [k]: e.target.value })
  const r = show.data
  return (
    <section aria-labelledby="report-h">
      <h2 id="report-h">{t.report}</h2>
      <p className="muted">{t.reportIntro}</p>
      <Form
        className="inline"
        error={show.error ?? save.error}
        aria-labelledby="report-h"
        onSubmit={(e) => {
          e.preventDefault()
          show.mutate()
        }}
      >
        <Field label={t.from} name="from" type="date" value={period.from} onChange={set('from')} />
        <Field label={t.to} name="to" type="date" value={period.to} onChange={set('to')} />
        <button type="submit" disabled={show.isPending}>
          {t.reportShow}
        </button>
        <button type="button" onClick={() => save.mutate('csv')} disabled={save.isPending}>
          {t.reportCsv}
        </button>
        <button type="button" onClick={() => save.mutate('json')} disabled={save.isPending}>
          {t.reportJson}
        </button>
        <FormError />
      </Form>
      {r && (
        <div className="report" data-testid="report">
          <p>
            {t.reportLines(r.lineCount)} · {t.chain}: <strong>{r.chainIntact ? t.intact : t.broken}</strong> · <When iso={r.generatedAt} />
          </p>
          <div className="grid2">
            <Balances title={t.opening} rows={r.opening} />
            <Balances title={t.closing} rows={r.closing} />
          </div>
          {r.lines.length === 0 ? (
            <Empty>{t.noLines}</Empty>
          ) : (
            <TableWrap>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.when}</th>
                    <th scope="col">{t.kind}</th>
                    <th scope="col">{t.event}</th>
                    <th scope="col">{t.side}</th>
                    <th scope="col">{t.size}</th>
                    <th scope="col">{t.amount}</th>
                    <th scope="col">{t.status}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.lines.map((l) => (
                    <tr key={l.sequence}>
                      <td>
                        <When iso={l.occurredAt} />
                      </td>
                      <td>{l.kind}</td>
                      <td>{l.eventType}</td>
                      <td>{l.side ?? '—'}</td>
                      <td>{l.size > 0 && <Amount asset={l.assetName} value={l.size} />}</td>
                      <td>
                        {/* An order's or trade's amount is its value in kuruş; a movement's, units of its asset. */}
                        <Amount asset={l.size > 0 ? CASH : l.assetName} value={l.amount} />
                      </td>
                      <td>
                        <Status status={l.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </div>
      )}
    </section>
  )
}

function Balances({ title, rows }: { title: string; rows: { assetName: string; size: number }[] }) {
  return (
    <div>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <Empty>—</Empty>
      ) : (
        <ul>
          {rows.map((b) => (
            <li key={b.assetName}>
              <Amount asset={b.assetName} value={b.size} />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
