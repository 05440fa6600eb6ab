import { StrictMode, useEffect, useState, useSyncExternalStore, type FormEvent } from 'react'
import { createRoot } from 'react-dom/client'
import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, ApiError, session, type Me } from './api.ts'
import { AppContext, isStaff } from './context.tsx'
import { useLiveFeed } from './live.ts'
import type { Locale } from './money.ts'
import { NotificationsPage } from './pages/notifications.tsx'
import { Funds } from './pages/funds.tsx'
import { AnalyticsPage, CustomerPage, CustomersPage, MarketsPage, OpenOrdersPage } from './pages/staff.tsx'
import { Balances, OrderList, OrderPage, OrderTicket } from './pages/trading.tsx'
import { Link, match, navigate, useLocation } from './router.tsx'
import { Field, Form, FormError, Loading, NotFound } from './ui.tsx'
import './styles.css'

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 2_000, refetchOnWindowFocus: true, retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2 },
  },
})

const LOCALE_KEY = 'brokerage.locale'

function SignIn({ onSignedIn }: { onSignedIn(): void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      session.set(await api.login(username, password))
      onSignedIn()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <main className="signin">
      <h1>Brokerage</h1>
      <Form onSubmit={submit} className="card" aria-label="Sign in" error={error}>
        <h2>Sign in</h2>
        <Field
          label="Email (or admin)"
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
          autoFocus
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <FormError />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </Form>
    </main>
  )
}

function Shell({ me }: { me: Me }) {
  const qc = useQueryClient()
  const [locale, setLocaleState] = useState<Locale>(() => (localStorage.getItem(LOCALE_KEY) === 'tr' ? 'tr' : 'en'))
  const setLocale = (l: Locale) => {
    localStorage.setItem(LOCALE_KEY, l)
    setLocaleState(l)
  }
  useEffect(() => void (document.documentElement.lang = locale), [locale])
  const live = useLiveFeed(true, isStaff(me))
  const { path } = useLocation()
  const signOut = async () => {
    await api.post('/auth/logout').catch(() => {})
    session.set(null)
    qc.clear()
    navigate('/', true)
  }
  const links =
    me.role === 'CUSTOMER'
      ? [
          ['/', 'Portfolio'],
          ['/orders', 'Orders'],
          ['/funds', 'Funds'],
          ['/notifications', 'Notifications'],
        ]
      : [
          ['/', 'Customers'],
          ['/open-orders', 'Open orders'],
          ['/markets', 'Markets'],
          ...(me.role === 'ADMIN' ? [['/analytics', 'Analytics']] : []),
        ]
  return (
    <AppContext.Provider value={{ me, locale, setLocale }}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <strong className="brand">Brokerage</strong>
        <nav aria-label="Main">
          {links.map(([to, label]) => (
            <Link key={to} to={to!}>
              {label}
            </Link>
          ))}
        </nav>
        <span className={`live live-${live}`} role="status" aria-label={`Live updates: ${live}`}>
          ● {live}
        </span>
        <label className="locale">
          <span className="sr-only">Language and money format</span>
          <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
            <option value="en">EN ₺1,234.56</option>
            <option value="tr">TR 1.234,56 ₺</option>
          </select>
        </label>
        <span className="who">{me.role === 'ADMIN' ? 'admin' : me.role.toLowerCase()}</span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Route me={me} path={path} />
      </main>
    </AppContext.Provider>
  )
}

function Route({ me, path }: { me: Me; path: string }) {
  let p: Record<string, string> | null
  if ((p = match('/orders/:id', path))) return <OrderPage id={p.id!} />
  if (me.role === 'CUSTOMER') {
    const id = me.customerId!
    const portfolio = (
      <>
        <h1>Portfolio</h1>
        <div className="grid2">
          <Balances customerId={id} />
          <OrderTicket customerId={id} />
        </div>
        <OrderList customerId={id} title="My orders" />
      </>
    )
    if (path === '/') return portfolio
    if (path === '/orders') return <OrderList customerId={id} title="My orders" />
    if (path === '/funds') return <Funds customerId={id} />
    if (path === '/notifications') return <NotificationsPage />
    // Another customer's page answers as the API does: not found, whether it exists or not.
    if ((p = match('/customers/:id', path))) return p.id === id ? portfolio : <NotFound what="customer" />
    return <NotFound />
  }
  if (path === '/' || path === '/customers') return <CustomersPage />
  if ((p = match('/customers/:id', path))) return <CustomerPage id={p.id!} />
  if (path === '/open-orders') return <OpenOrdersPage />
  if (path === '/markets') return <MarketsPage />
  if (path === '/analytics' && me.role === 'ADMIN') return <AnalyticsPage />
  return <NotFound />
}

function App() {
  const token = useSyncExternalStore(
    (fn) => session.subscribe(fn),
    () => session.token,
  )
  const [restoring, setRestoring] = useState(() => !session.token && session.hasRefresh)
  useEffect(() => {
    if (restoring) void session.refresh().finally(() => setRestoring(false))
  }, [restoring])
  const me = useQuery({ queryKey: ['me', token], queryFn: () => api.get<Me>('/auth/me'), enabled: !!token, staleTime: Infinity })
  if (restoring) return <Loading what="your session" />
  if (!token) return <SignIn onSignedIn={() => void 0} />
  if (me.isPending) return <Loading what="your account" />
  if (me.error) return <FormError error={me.error} />
  return <Shell me={me.data} />
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
)
