import { createContext, useContext } from 'react'
import type { Me } from './api.ts'
import type { Locale } from './money.ts'

export interface AppContextValue {
  me: Me
  locale: Locale
  setLocale(l: Locale): void
}

export const AppContext = createContext<AppContextValue | null>(null)

export function useApp(): AppContextValue {
  const v = useContext(AppContext)
  if (!v) throw new Error('useApp outside the signed-in app')
  return v
}

export const isStaff = (me: Me) => me.role !== 'CUSTOMER'
