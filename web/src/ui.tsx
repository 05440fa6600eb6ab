// Small building blocks every page uses: a labelled field with its error, the API's refusal
// shown where it belongs, money, statuses, loading and empty states, a pager.
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react'
import { ApiError } from './api.ts'
import { useApp } from './context.tsx'
import { formatAmount, formatMoney } from './money.ts'

export function Field({
  label,
  error,
  hint,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string | undefined; hint?: ReactNode }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
        {...input}
      />
      {hint && !error && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} className="error" role="alert">
          {error}
        </small>
      )}
    </div>
  )
}

export function Select({
  label,
  error,
  children,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; error?: string | undefined }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...select}>
        {children}
      </select>
      {error && (
        <small id={`${id}-error`} className="error" role="alert">
          {error}
        </small>
      )}
    </div>
  )
}

/** An API refusal not tied to one of the form's fields (or any other error). */
export function FormError({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  if (!error) return null
  if (error instanceof ApiError) {
    const unplaced = error.details.filter((d) => !fields.some((f) => d.field === f || d.field.endsWith(`.${f}`)))
    if (error.details.length > 0 && unplaced.length === 0) return null
    return (
      <p className="error banner" role="alert">
        {error.message}
        {unplaced.map((d) => ` — ${d.field}: ${d.message}`).join('')}
      </p>
    )
  }
  return (
    <p className="error banner" role="alert">
      {String((error as Error).message ?? error)}
    </p>
  )
}

export const fieldError = (error: unknown, field: string) => (error instanceof ApiError ? error.field(field) : undefined)

export function Money({ minor }: { minor: number | bigint }) {
  const { locale } = useApp()
  return <span className="num">{formatMoney(minor, locale)}</span>
}

export function Amount({ asset, value }: { asset: string; value: number | bigint }) {
  const { locale } = useApp()
  return <span className="num">{formatAmount(asset, value, locale)}</span>
}

export function Status({ status }: { status: string }) {
  return <span className={`status status-${status.toLowerCase()}`}>{status}</span>
}

export function When({ iso }: { iso: string }) {
  const { locale } = useApp()
  return (
    <time dateTime={iso}>
      {new Date(iso).toLocaleString(locale === 'tr' ? 'tr-TR' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium' })}
    </time>
  )
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  )
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>
}

export function Pager({ page, size, total, onPage }: { page: number; size: number; total: number; onPage(p: number): void }) {
  const pages = Math.max(1, Math.ceil(total / size))
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={page <= 0} onClick={() => onPage(page - 1)}>
        ← Newer
      </button>
      <span>
        Page {page + 1} of {pages} ({total})
      </span>
      <button type="button" disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>
        Older →
      </button>
    </nav>
  )
}

export function NotFound({ what = 'page' }: { what?: string }) {
  return (
    <section>
      <h1>Not found</h1>
      <p>This {what} does not exist, or is not yours to see.</p>
    </section>
  )
}

export const isNotFound = (e: unknown) => e instanceof ApiError && e.status === 404
