// Deposits and withdrawals (IBAN) and the movements they made: a customer's own, or staff's for a customer.
import { useState, type FormEvent } from 'react'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { ASSET_NAME, ASSET_NAME_RULE } from '../../../packages/contracts/src/vocabulary.ts'
import { api, qs, type Movement, type Page } from '../api.ts'
import { isStaff, useApp } from '../context.tsx'
import { useT } from '../i18n.ts'
import { CASH, parseMoney, parseUnits } from '../money.ts'
import { Amount, Empty, Field, Form, FormError, Loading, Pager, Status, TableWrap, When } from '../ui.tsx'

// The gateway's IBAN rule (electronic format); the customer service also checks the checksum.
const IBAN = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/

function MovementForm({ customerId, kind }: { customerId: string; kind: 'deposit' | 'withdrawal' }) {
  const { me, locale } = useApp()
  const t = useT()
  const qc = useQueryClient()
  // Customers deposit cash only (SPEC §2); staff may deposit any asset.
  const anyAsset = isStaff(me) && kind === 'deposit'
  const [asset, setAsset] = useState(CASH)
  const [amount, setAmount] = useState('')
  const [iban, setIban] = useState('')
  const [touched, setTouched] = useState(false)
  const parsed = asset === CASH ? parseMoney(amount, locale) : parseUnits(amount, locale)
  const normalIban = iban.replace(/\s+/g, '').toUpperCase()
  const assetError = ASSET_NAME.test(asset) ? undefined : ASSET_NAME_RULE
  const ibanError = kind === 'withdrawal' && asset === CASH && !IBAN.test(normalIban) ? t.ibanRule : undefined
  const send = useMutation({
    mutationFn: () =>
      api.post<Movement>(`/customers/${customerId}/${kind}s`, {
        amount: Number(parsed.ok && parsed.value),
        ...(asset !== CASH ? { assetName: asset } : {}),
        ...(kind === 'withdrawal' ? { iban: normalIban } : {}),
      }),
    onSuccess: () => {
      setAmount('')
      setTouched(false)
      void qc.invalidateQueries({ queryKey: ['movements'] })
    },
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setTouched(true)
    if (parsed.ok && !ibanError && !assetError) send.mutate()
  }
  const title = kind === 'deposit' ? t.deposit : t.withdraw
  return (
    <Form className="card" onSubmit={submit} noValidate aria-label={title} error={send.error}>
      <h3>{title}</h3>
      {anyAsset && (
        <Field
          label={t.asset}
          name="assetName"
          value={asset}
          onChange={(e) => setAsset(e.target.value.toUpperCase())}
          error={touched ? assetError : undefined}
        />
      )}
      <Field
        label={asset === CASH ? t.amountCash : t.amountUnits(asset)}
        name="amount"
        inputMode="decimal"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        error={touched && !parsed.ok ? parsed.error : undefined}
      />
      {kind === 'withdrawal' && (
        <Field
          label={t.iban}
          name="iban"
          value={iban}
          autoComplete="off"
          onChange={(e) => setIban(e.target.value)}
          error={touched ? ibanError : undefined}
        />
      )}
      <FormError />
      <button type="submit" className="primary" disabled={send.isPending}>
        {title}
      </button>
      {send.isSuccess && (
        <p className="ok" role="status">
          {t.requested(title)}
        </p>
      )}
    </Form>
  )
}

export function Funds({ customerId }: { customerId: string }) {
  const t = useT()
  const [page, setPage] = useState(0)
  const q = useQuery({
    queryKey: ['movements', customerId, page],
    queryFn: () => api.get<Page<Movement>>(`/customers/${customerId}/movements${qs({ page, size: 20 })}`),
    placeholderData: keepPreviousData,
  })
  return (
    <section aria-labelledby="funds-h">
      <h2 id="funds-h">{t.funds}</h2>
      <div className="grid2">
        <MovementForm customerId={customerId} kind="deposit" />
        <MovementForm customerId={customerId} kind="withdrawal" />
      </div>
      <h3>{t.movements}</h3>
      {q.isPending ? (
        <Loading what={t.what.movements} />
      ) : q.error ? (
        <FormError error={q.error} />
      ) : q.data.content.length === 0 ? (
        <Empty>{t.noMovements}</Empty>
      ) : (
        <>
          <TableWrap>
            <table className="movements">
              <thead>
                <tr>
                  <th scope="col">{t.kind}</th>
                  <th scope="col">{t.amount}</th>
                  <th scope="col">{t.iban}</th>
                  <th scope="col">{t.status}</th>
                  <th scope="col">{t.when}</th>
                </tr>
              </thead>
              <tbody>
                {q.data.content.map((m) => (
                  <tr key={m.id}>
                    <td>{m.kind}</td>
                    <td>
                      <Amount asset={m.assetName} value={m.amount} />
                    </td>
                    <td className="mono">{m.iban ?? '—'}</td>
                    <td>
                      <Status status={m.status} /> {m.rejectionReason}
                    </td>
                    <td>
                      <When iso={m.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <Pager page={page} size={20} total={q.data.totalElements} onPage={setPage} />
        </>
      )}
    </section>
  )
}
