import { AppError, type Db } from '@brokerage/platform'
import { notFound } from './customers.js'
import type { Actor, Principal } from './domain.js'
import type { Passwords } from './passwords.js'
import type { Store } from './store.js'

// Sign-in checks for the gateway's token issuer. Customers and brokers sign in with their
// email; the dev admin is the gateway's own and never reaches this service.

type Credential = NonNullable<Awaited<ReturnType<Store['credential']>>>

const principalOf = (c: Credential): Principal => ({
  subject: c.subject,
  role: c.role,
  username: c.username,
  customerId: c.role === 'CUSTOMER' ? c.subject : null,
  brokerId: c.role === 'BROKER' ? c.subject : null,
  status: c.status,
})

export function createIdentity(deps: { db: Db; store: Store; passwords: Passwords; now: () => Date }) {
  const { db, store, passwords, now } = deps
  return {
    /** One answer for an unknown user and a wrong password, in about the same time. */
    async authenticate(username: string, password: string): Promise<Principal> {
      const credential = await store.credential(db, { username })
      const ok = credential ? await passwords.verify(password, credential.passwordHash) : await passwords.burn(password)
      if (!credential || !ok) throw new AppError('UNAUTHENTICATED', 'Invalid username or password')
      return principalOf(credential)
    },

    /**
     * The signed-in customer or broker changes their own password. A wrong current password
     * is a bad field, not a bad token: the caller's session stays valid (the gateway ends
     * every session only once the change is made).
     */
    async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<Principal> {
      if (actor.role === 'ADMIN') throw new AppError('FORBIDDEN', "The admin's password is set by configuration")
      const credential = await store.credential(db, { subject: actor.subject })
      if (!credential) throw notFound('account')
      if (!(await passwords.verify(currentPassword, credential.passwordHash))) {
        throw new AppError('VALIDATION_FAILED', 'Request validation failed', {
          details: [{ field: 'currentPassword', message: 'is not the current password' }],
        })
      }
      await store.setPassword(db, actor.subject, await passwords.hash(newPassword), now())
      return principalOf(credential)
    },

    /** An admin sets anyone's password; anyone else only their own (another's looks missing). */
    async setPassword(actor: Actor, subject: string, password: string): Promise<Principal> {
      if (actor.role !== 'ADMIN' && actor.subject !== subject) throw notFound('account')
      const credential = await store.credential(db, { subject })
      if (!credential) throw notFound('account')
      await store.setPassword(db, subject, await passwords.hash(password), now())
      return principalOf(credential)
    },
  }
}

export type Identity = ReturnType<typeof createIdentity>
