// Notifications, where they are sent (email, phone for SMS, this browser by web push) and the
// preferences per event type and channel.
import { useState, type FormEvent } from 'react'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, qs, type Contact, type Notification, type Page, type Preferences, type PushSubscriptionEntry } from '../api.ts'
import { useT } from '../i18n.ts'
import { Empty, Field, Form, FormError, Loading, Pager, TableWrap, When } from '../ui.tsx'

export function NotificationsPage({ customerId }: { customerId?: string }) {
  const t = useT()
  const [page, setPage] = useState(0)
  const q = useQuery({
    queryKey: ['notifications', customerId, page],
    queryFn: () => api.get<Page<Notification>>(`/notifications${qs({ customerId, page, size: 20 })}`),
    placeholderData: keepPreviousData,
  })
  return (
    <>
      <section aria-labelledby="notes-h">
        <h1 id="notes-h">{t.notifications}</h1>
        {q.isPending ? (
          <Loading what={t.what.notifications} />
        ) : q.error ? (
          <FormError error={q.error} />
        ) : q.data.content.length === 0 ? (
          <Empty>{t.nothingYet}</Empty>
        ) : (
          <>
            <ul className="notes">
              {q.data.content.map((n) => (
                <li key={n.id}>
                  <strong>{n.title}</strong> <When iso={n.createdAt} />
                  <p>{n.body}</p>
                  <small className="muted">{n.deliveries.map((d) => `${d.channel}: ${d.status}`).join(' · ')}</small>
                </li>
              ))}
            </ul>
            <Pager page={page} size={20} total={q.data.totalElements} onPage={setPage} />
          </>
        )}
      </section>
      <ContactForm customerId={customerId} />
      <PreferencesGrid customerId={customerId} />
    </>
  )
}

const useContact = (customerId: string | undefined) =>
  useQuery({ queryKey: ['contact', customerId], queryFn: () => api.get<Contact>(`/notifications/contact${qs({ customerId })}`) })

function ContactForm({ customerId }: { customerId?: string | undefined }) {
  const t = useT()
  const qc = useQueryClient()
  const q = useContact(customerId)
  const [phone, setPhone] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: (change: { locale?: string; phone?: string | null }) =>
      api.put<Contact>('/notifications/contact', { customerId, ...change }),
    onSuccess: (c) => {
      qc.setQueryData(['contact', customerId], c)
      setPhone(null)
    },
  })
  if (!q.data) return q.error ? <FormError error={q.error} /> : null
  const savePhone = (e: FormEvent) => {
    e.preventDefault()
    const typed = (phone ?? q.data.phone ?? '').replace(/[\s()-]/g, '')
    save.mutate({ phone: typed === '' ? null : typed })
  }
  return (
    <section aria-labelledby="contact-h">
      <h2 id="contact-h">{t.messages}</h2>
      <p>
        {t.sentTo} <strong>{q.data.email ?? t.noEmail}</strong>
        {q.data.phone ? ` ${t.and} ${q.data.phone}` : ''}.
      </p>
      <Form className="inline" onSubmit={savePhone} error={save.error} aria-labelledby="contact-h">
        <Field
          label={t.phone}
          name="phone"
          type="tel"
          autoComplete="tel"
          hint={t.phoneHint}
          value={phone ?? q.data.phone ?? ''}
          onChange={(e) => setPhone(e.target.value)}
        />
        <button type="submit" disabled={save.isPending}>
          {t.savePhone}
        </button>
        <Field label={t.messagesLanguage} name="locale" value={q.data.locale} onChange={(e) => save.mutate({ locale: e.target.value })}>
          <option value="en">English</option>
          <option value="tr">Türkçe</option>
        </Field>
        <FormError />
      </Form>
      <PushSubscriptions customerId={customerId} contact={q.data} />
    </section>
  )
}

/** The VAPID key as PushManager wants it: the bytes of its base64url text. */
function base64urlBytes(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=')
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
}

/** This browser's push subscription through its service worker (/sw.js), as the API takes it. */
async function subscribeThisBrowser(vapidPublicKey: string): Promise<PushSubscriptionJSON> {
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) throw new Error('no PushManager')
  const registration = await navigator.serviceWorker.register('/sw.js')
  await navigator.serviceWorker.ready
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64urlBytes(vapidPublicKey),
  })
  return subscription.toJSON()
}

function PushSubscriptions({ customerId, contact }: { customerId?: string | undefined; contact: Contact }) {
  const t = useT()
  const qc = useQueryClient()
  const refresh = () => void qc.invalidateQueries({ queryKey: ['contact', customerId] })
  const [manual, setManual] = useState({ endpoint: '', p256dh: '', auth: '' })
  const add = useMutation({
    mutationFn: (s: { endpoint: string; keys: { p256dh: string; auth: string } }) =>
      api.post<PushSubscriptionEntry>('/notifications/push-subscriptions', { customerId, ...s }),
    onSuccess: () => {
      setManual({ endpoint: '', p256dh: '', auth: '' })
      refresh()
    },
  })
  const browser = useMutation({
    mutationFn: async () => {
      const s = await subscribeThisBrowser(contact.vapidPublicKey)
      return add.mutateAsync({ endpoint: s.endpoint!, keys: { p256dh: s.keys!.p256dh!, auth: s.keys!.auth! } })
    },
  })
  const remove = useMutation({
    mutationFn: (id: string) => api.del<void>(`/notifications/push-subscriptions/${id}${qs({ customerId })}`),
    onSettled: refresh,
  })
  const set = (k: keyof typeof manual) => (e: { target: { value: string } }) => setManual({ ...manual, [k]: e.target.value.trim() })
  return (
    <section aria-labelledby="push-h">
      <h3 id="push-h">{t.push}</h3>
      <p className="muted">{t.pushIntro}</p>
      {!customerId && (
        <p>
          <button type="button" onClick={() => browser.mutate()} disabled={browser.isPending}>
            {t.pushThisBrowser}
          </button>
        </p>
      )}
      {browser.error && (
        <p className="error" role="alert">
          {t.pushRefused((browser.error as Error).message)}
        </p>
      )}
      {contact.pushSubscriptions.length === 0 ? (
        <Empty>{t.pushNone}</Empty>
      ) : (
        <ul className="subscriptions">
          {contact.pushSubscriptions.map((s) => (
            <li key={s.id} data-subscription={s.id}>
              <span className="mono">{new URL(s.endpoint).host}</span> <When iso={s.createdAt} />{' '}
              <button type="button" className="danger" onClick={() => remove.mutate(s.id)} aria-label={t.pushRemove(s.endpoint)}>
                {t.remove}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FormError error={remove.error} />
      <details>
        <summary>{t.pushManual}</summary>
        <Form
          className="card"
          error={add.error}
          aria-label={t.pushManual}
          onSubmit={(e) => {
            e.preventDefault()
            add.mutate({ endpoint: manual.endpoint, keys: { p256dh: manual.p256dh, auth: manual.auth } })
          }}
        >
          <Field label={t.pushEndpoint} name="endpoint" type="url" value={manual.endpoint} onChange={set('endpoint')} />
          <Field label={t.pushKey} name="p256dh" value={manual.p256dh} onChange={set('p256dh')} />
          <Field label={t.pushAuth} name="auth" value={manual.auth} onChange={set('auth')} />
          <FormError />
          <button type="submit" disabled={add.isPending}>
            {t.pushRegister}
          </button>
        </Form>
      </details>
    </section>
  )
}

function PreferencesGrid({ customerId }: { customerId?: string | undefined }) {
  const t = useT()
  const qc = useQueryClient()
  const key = ['preferences', customerId]
  const q = useQuery({ queryKey: key, queryFn: () => api.get<Preferences>(`/notifications/preferences${qs({ customerId })}`) })
  const save = useMutation({
    mutationFn: (p: { eventType: string; channel: string; enabled: boolean }) =>
      api.put<Preferences>('/notifications/preferences', { customerId, preferences: [p] }),
    onSuccess: (p) => qc.setQueryData(key, p),
  })
  if (q.isPending) return <Loading what={t.what.preferences} />
  if (q.error) return <FormError error={q.error} />
  const channels = [...new Set(q.data.preferences.map((p) => p.channel))]
  const types = [...new Set(q.data.preferences.map((p) => p.eventType))]
  const enabled = (type: string, c: string) => q.data.preferences.find((p) => p.eventType === type && p.channel === c)?.enabled ?? false
  return (
    <section aria-labelledby="prefs-h">
      <h2 id="prefs-h">{t.preferences}</h2>
      <FormError error={save.error} />
      <TableWrap>
        <table className="prefs">
          <thead>
            <tr>
              <th scope="col">{t.event}</th>
              {channels.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {types.map((type) => (
              <tr key={type}>
                <th scope="row">{type}</th>
                {channels.map((c) => (
                  <td key={c}>
                    <input
                      type="checkbox"
                      aria-label={t.byChannel(type, c)}
                      checked={enabled(type, c)}
                      disabled={save.isPending}
                      onChange={(e) => save.mutate({ eventType: type, channel: c, enabled: e.target.checked })}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  )
}
