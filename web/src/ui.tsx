// Small building blocks every page uses: a labelled field with its error, the API's refusal
// shown where it belongs, money, statuses, loading and empty states, a pager.
import {
  createContext,
  useContext,
  useId,
  type FormHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
} from 'react'
import { ApiError } from './api.ts'
import { useApp } from './context.tsx'
import { useLocale, useT } from './i18n.ts'
import { formatAmount, formatMoney, formatUnits } from './money.ts'

/** The API refusal of the form a field sits in: its fields take their own from it, FormError the rest. */
interface FormState {
  error: unknown
  names: Set<string>
}
const FormContext = createContext<FormState | null>(null)

/**
 * A form whose API refusal (`error`, the error shape) is shown where it belongs: each Field
 * with a `name` shows the detail naming it; a FormError inside shows whatever no field took.
 */
export function Form({ error, children, ...form }: FormHTMLAttributes<HTMLFormElement> & { error: unknown }) {
  // A fresh set each render: the fields render before the FormError below them and name themselves.
  const state: FormState = { error, names: new Set() }
  return (
    <FormContext.Provider value={state}>
      <form {...form}>{children}</form>
    </FormContext.Provider>
  )
}

interface FieldCommon {
  label: ReactNode
  /** The API's field name (`size`, `assetName`): its refusal in the surrounding Form's error shows here. */
  name?: string | undefined
  /** A refusal found before sending; shown before the API's. */
  error?: string | undefined
  hint?: ReactNode
}
type InputFieldProps = FieldCommon & Omit<InputHTMLAttributes<HTMLInputElement>, 'name'> & { children?: undefined }
type SelectFieldProps = FieldCommon & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name'> & { children: ReactNode }

/**
 * The one form field: a label, an input (or, given options as children, a select), a hint,
 * and its error (this form's own check first, else the API's refusal of the field named
 * `name`), tied to the control with aria-describedby and aria-invalid.
 */
export function Field(props: InputFieldProps): ReactNode
export function Field(props: SelectFieldProps): ReactNode
export function Field({ label, name, error, hint, children, ...control }: InputFieldProps | SelectFieldProps) {
  const id = useId()
  const form = useContext(FormContext)
  if (name) form?.names.add(name)
  const shown = error ?? (name ? fieldError(form?.error, name) : undefined)
  const a11y = {
    id,
    name,
    'aria-invalid': shown ? true : undefined,
    'aria-describedby': shown ? `${id}-error` : hint ? `${id}-hint` : undefined,
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children === undefined ? (
        <input {...a11y} {...(control as InputHTMLAttributes<HTMLInputElement>)} />
      ) : (
        <select {...a11y} {...(control as SelectHTMLAttributes<HTMLSelectElement>)}>
          {children}
        </select>
      )}
      {hint && !shown && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {shown && (
        <small id={`${id}-error`} className="error" role="alert">
          {shown}
        </small>
      )}
    </div>
  )
}

/** An API refusal not tied to one of the form's fields (or any other error). */
export function FormError({ error: own, fields: named }: { error?: unknown; fields?: string[] }) {
  const form = useContext(FormContext)
  const error = own ?? form?.error
  const fields = named ?? (form ? [...form.names] : [])
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

const fieldError = (error: unknown, field: string) => (error instanceof ApiError ? error.field(field) : undefined)

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

// One formatter per locale: building an Intl formatter per date is what makes a long list slow.
const DATE_TIME = {
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeStyle: 'medium' }),
  tr: new Intl.DateTimeFormat('tr-TR', { dateStyle: 'short', timeStyle: 'medium' }),
}

export function When({ iso }: { iso: string }) {
  const { locale } = useApp()
  return <time dateTime={iso}>{DATE_TIME[locale].format(new Date(iso))}</time>
}

export function Loading({ what }: { what: string }) {
  const t = useT()
  return (
    <p className="muted" role="status">
      {t.loading(what)}
    </p>
  )
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>
}

export function Pager({ page, size, total, onPage }: { page: number; size: number; total: number; onPage(p: number): void }) {
  const { locale } = useLocale()
  const t = useT()
  const pages = Math.max(1, Math.ceil(total / size))
  return (
    <nav className="pager" aria-label={t.pages}>
      <button type="button" disabled={page <= 0} onClick={() => onPage(page - 1)}>
        {t.newer}
      </button>
      <span>{t.pageOf(page + 1, pages, formatUnits(total, locale))}</span>
      <button type="button" disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>
        {t.older}
      </button>
    </nav>
  )
}

export function NotFound({ what = 'page' }: { what?: 'page' | 'order' | 'customer' }) {
  const t = useT()
  return (
    <section>
      <h1>{t.notFound}</h1>
      <p>{t.notFoundText(t.notFoundWhat[what])}</p>
    </section>
  )
}

/** A table that scrolls sideways on a narrow screen, reachable by keyboard. */
export function TableWrap({ children }: { children: ReactNode }) {
  const t = useT()
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t.scrollable}>
      {children}
    </div>
  )
}

/**
 * Calendar days from date inputs as the API's instants: the first day's start, and the start of
 * the day after the last (the API's end is exclusive).
 */
export function dayRange(first: string, last: string): { from: string | undefined; to: string | undefined } {
  return {
    from: first ? `${first}T00:00:00Z` : undefined,
    to: last ? new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString() : undefined,
  }
}

export const isNotFound = (e: unknown) => e instanceof ApiError && e.status === 404
