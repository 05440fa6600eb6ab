import { StrictMode, useEffect, useState, useSyncExternalStore, type FormEvent, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { QueryClient, QueryClientProvider, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, ApiError, session, type Me } from './api.ts'
import { AppContext, isStaff } from './context.tsx'
import { useLiveFeed } from './live.ts'
import type { Locale } from './money.ts'
import { LocaleContext, useLocale, useT } from './i18n.ts'
import { AccountPage, PASSWORD_CHANGED } from './pages/account.tsx'
import { NotificationsPage } from './pages/notifications.tsx'
import { Funds } from './pages/funds.tsx'
import { AnalyticsPage, CustomerPage, CustomersPage, MarketsPage, OpenOrdersPage } from './pages/staff.tsx'
import { Balances, OrderList, OrderPage, OrderTicket } from './pages/trading.tsx'
import { Link, match, navigate, useLocation } from './router.tsx'
import { Field, Form, FormError, Loading, NotFound } from './ui.tsx'
import './styles.css'

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 2_000,
      refetchOnWindowFocus: true,
      // A refusal stays refused; a 429 (a long list scrolled fast) is asked again when the gateway says.
      retry: (n, e) => (e instanceof ApiError && e.status === 429 ? n < 5 : !(e instanceof ApiError && e.status < 500) && n < 2),
      retryDelay: (n, e) => (e instanceof ApiError && e.retryAfterMs ? e.retryAfterMs : Math.min(1_000 * 2 ** n, 30_000)),
    },
  },
})

const LOCALE_KEY = 'brokerage.locale'

function SignIn({ onSignedIn }: { onSignedIn(): void }) {
  const t = useT()
  const { search } = useLocation()
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
      <h1>{t.brand}</h1>
      <Form onSubmit={submit} className="card" aria-label={t.signIn} error={error}>
        <h2>{t.signIn}</h2>
        {search.has(PASSWORD_CHANGED) && (
          <p className="ok" role="status">
            {t.passwordChanged}
          </p>
        )}
        <Field
          label={t.signInUser}
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
          autoFocus
        />
        <Field
          label={t.password}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <FormError />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t.signingIn : t.signIn}
        </button>
      </Form>
    </main>
  )
}

function Shell({ me }: { me: Me }) {
  const qc = useQueryClient()
  const { locale, setLocale } = useLocale()
  const t = useT()
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
          ['/', t.nav.portfolio],
          ['/orders', t.nav.orders],
          ['/funds', t.nav.funds],
          ['/notifications', t.nav.notifications],
          ['/account', t.nav.account],
        ]
      : [
          ['/', t.nav.customers],
          ['/open-orders', t.nav.openOrders],
          ['/markets', t.nav.markets],
          ...(me.role === 'ADMIN' ? [['/analytics', t.nav.analytics]] : [['/account', t.nav.account]]),
        ]
  return (
    <AppContext.Provider value={{ me, locale, setLocale }}>
      <a className="skip" href="#main">
        {t.skip}
      </a>
      <header className="top">
        <strong className="brand">{t.brand}</strong>
        <nav aria-label={t.mainNav}>
          {links.map(([to, label]) => (
            <Link key={to} to={to!}>
              {label}
            </Link>
          ))}
        </nav>
        <span className={`live live-${live}`} role="status" aria-label={t.liveLabel(t.liveState[live] ?? live)}>
          ● {t.liveState[live] ?? live}
        </span>
        <label className="locale">
          <span className="sr-only">{t.localeSwitch}</span>
          <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
            <option value="en">EN ₺1,234.56</option>
            <option value="tr">TR 1.234,56 ₺</option>
          </select>
        </label>
        <span className="who">{t.role[me.role]}</span>
        <button type="button" onClick={() => void signOut()}>
          {t.signOut}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Route me={me} path={path} />
      </main>
    </AppContext.Provider>
  )
}

function Route({ me, path }: { me: Me; path: string }) {
  const t = useT()
  let p: Record<string, string> | null
  if ((p = match('/orders/:id', path))) return <OrderPage id={p.id!} />
  if (me.role === 'CUSTOMER') {
    const id = me.customerId!
    const portfolio = (
      <>
        <h1>{t.nav.portfolio}</h1>
        <div className="grid2">
          <Balances customerId={id} />
          <OrderTicket customerId={id} />
        </div>
        <OrderList customerId={id} title={t.myOrders} />
      </>
    )
    if (path === '/') return portfolio
    if (path === '/orders') return <OrderList customerId={id} title={t.myOrders} />
    if (path === '/funds') return <Funds customerId={id} />
    if (path === '/notifications') return <NotificationsPage />
    if (path === '/account') return <AccountPage />
    // Another customer's page answers as the API does: not found, whether it exists or not.
    if ((p = match('/customers/:id', path))) return p.id === id ? portfolio : <NotFound what="customer" />
    return <NotFound />
  }
  if (path === '/' || path === '/customers') return <CustomersPage />
  if ((p = match('/customers/:id', path))) return <CustomerPage id={p.id!} />
  if (path === '/open-orders') return <OpenOrdersPage />
  if (path === '/markets') return <MarketsPage />
  if (path === '/analytics' && me.role === 'ADMIN') return <AnalyticsPage />
  if (path === '/account' && me.role === 'BROKER') return <AccountPage />
  return <NotFound />
}

/** The chosen locale, kept in localStorage: it applies before signing in too. */
function WithLocale({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => (localStorage.getItem(LOCALE_KEY) === 'tr' ? 'tr' : 'en'))
  const setLocale = (l: Locale) => {
    localStorage.setItem(LOCALE_KEY, l)
    setLocaleState(l)
  }
  useEffect(() => void (document.documentElement.lang = locale), [locale])
  return <LocaleContext.Provider value={{ locale, setLocale }}>{children}</LocaleContext.Provider>
}

function App() {
  const t = useT()
  const token = useSyncExternalStore(
    (fn) => session.subscribe(fn),
    () => session.token,
  )
  const [restoring, setRestoring] = useState(() => !session.token && session.hasRefresh)
  useEffect(() => {
    if (restoring) void session.refresh().finally(() => setRestoring(false))
  }, [restoring])
  const me = useQuery({ queryKey: ['me', token], queryFn: () => api.get<Me>('/auth/me'), enabled: !!token, staleTime: Infinity })
  if (restoring) return <Loading what={t.what.session} />
  if (!token) return <SignIn onSignedIn={() => void 0} />
  if (me.isPending) return <Loading what={t.what.account} />
  if (me.error) return <FormError error={me.error} />
  return <Shell me={me.data} />
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <WithLocale>
        <App />
      </WithLocale>
    </QueryClientProvider>
  </StrictMode>,
)
