import { useState } from 'react'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, qs, type Contact, type Notification, type Page, type Preferences } from '../api.ts'
import { useApp } from '../context.tsx'
import { Empty, Field, FormError, Loading, Pager, When } from '../ui.tsx'

export function NotificationsPage({ customerId }: { customerId?: string }) {
  const [page, setPage] = useState(0)
  const q = useQuery({
    queryKey: ['notifications', customerId, page],
    queryFn: () => api.get<Page<Notification>>(`/notifications${qs({ customerId, page, size: 20 })}`),
    placeholderData: keepPreviousData,
  })
  return (
    <>
      <section aria-labelledby="notes-h">
        <h1 id="notes-h">Notifications</h1>
        {q.isPending ? (
          <Loading what="notifications" />
        ) : q.error ? (
          <FormError error={q.error} />
        ) : q.data.content.length === 0 ? (
          <Empty>Nothing yet.</Empty>
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

function ContactForm({ customerId }: { customerId?: string | undefined }) {
  const qc = useQueryClient()
  const q = useQuery({ queryKey: ['contact', customerId], queryFn: () => api.get<Contact>(`/notifications/contact${qs({ customerId })}`) })
  const save = useMutation({
    mutationFn: (locale: string) => api.put<Contact>('/notifications/contact', { customerId, locale }),
    onSuccess: (c) => qc.setQueryData(['contact', customerId], c),
  })
  if (!q.data) return q.error ? <FormError error={q.error} /> : null
  return (
    <section aria-labelledby="contact-h">
      <h2 id="contact-h">Messages</h2>
      <p>
        Sent to <strong>{q.data.email ?? 'no email'}</strong>
        {q.data.phone ? ` and ${q.data.phone}` : ''}.
      </p>
      <Field label="Language of messages" value={q.data.locale} onChange={(e) => save.mutate(e.target.value)}>
        <option value="en">English</option>
        <option value="tr">Türkçe</option>
      </Field>
      <FormError error={save.error} />
    </section>
  )
}

function PreferencesGrid({ customerId }: { customerId?: string | undefined }) {
  const { locale } = useApp()
  const qc = useQueryClient()
  const key = ['preferences', customerId]
  const q = useQuery({ queryKey: key, queryFn: () => api.get<Preferences>(`/notifications/preferences${qs({ customerId })}`) })
  const save = useMutation({
    mutationFn: (p: { eventType: string; channel: string; enabled: boolean }) =>
      api.put<Preferences>('/notifications/preferences', { customerId, preferences: [p] }),
    onSuccess: (p) => qc.setQueryData(key, p),
  })
  if (q.isPending) return <Loading what="preferences" />
  if (q.error) return <FormError error={q.error} />
  const channels = [...new Set(q.data.preferences.map((p) => p.channel))]
  const types = [...new Set(q.data.preferences.map((p) => p.eventType))]
  const enabled = (t: string, c: string) => q.data.preferences.find((p) => p.eventType === t && p.channel === c)?.enabled ?? false
  return (
    <section aria-labelledby="prefs-h">
      <h2 id="prefs-h">Preferences</h2>
      <FormError error={save.error} />
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Scrollable table">
        <table className="prefs">
          <thead>
            <tr>
              <th scope="col">{locale === 'tr' ? 'Olay' : 'Event'}</th>
              {channels.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {types.map((t) => (
              <tr key={t}>
                <th scope="row">{t}</th>
                {channels.map((c) => (
                  <td key={c}>
                    <input
                      type="checkbox"
                      aria-label={`${t} by ${c}`}
                      checked={enabled(t, c)}
                      disabled={save.isPending}
                      onChange={(e) => save.mutate({ eventType: t, channel: c, enabled: e.target.checked })}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
