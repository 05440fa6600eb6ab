// A history-API router of a few lines: the app has a dozen flat routes, which a routing
// library would not make simpler. Links are real <a href>, so the keyboard, middle-click
// and the address bar behave as on any site; the gateway answers every page path with index.html.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react'

const listeners = new Set<() => void>()
window.addEventListener('popstate', () => listeners.forEach((fn) => fn()))

export function navigate(to: string, replace = false) {
  if (replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  listeners.forEach((fn) => fn())
  window.scrollTo(0, 0)
}

/** Sets the query of the current address (a list's filter, say) in place: no history entry, no scroll. */
export function replaceSearch(params: Record<string, string | undefined>) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v)
  const s = q.toString()
  history.replaceState(null, '', location.pathname + (s ? `?${s}` : ''))
  listeners.forEach((fn) => fn())
}

function subscribe(fn: () => void) {
  listeners.add(fn)
  return () => void listeners.delete(fn)
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, () => location.pathname + location.search)
  const url = new URL(href, location.origin)
  return { path: url.pathname, search: url.searchParams }
}

/** `/orders/:id` against a path: the parameters, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/')
  const b = path.replace(/\/+$/, '').split('/')
  if (a.length !== b.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.startsWith(':')) params[a[i]!.slice(1)] = decodeURIComponent(b[i]!)
    else if (a[i] !== b[i]) return null
  }
  return params
}

export function Link({ to, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  // The path alone (no URL parsed): a long list renders many links.
  const path = useSyncExternalStore(subscribe, () => location.pathname)
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    e.preventDefault()
    navigate(to)
  }
  const current = path === to.split('?')[0] ? 'page' : undefined
  return <a href={to} onClick={onClick} aria-current={current} {...rest} />
}
