import { NAMESPACE, nullableUuid, timestamp, uuid } from './common.js'

// Produced by the gateway (its built-in sign-in) on `security.events`, keyed by accountId,
// for the security audit trail: the audit service stores them, nothing else reads them.
// Never a password, a token or a hash of either. `customerId` is set for a customer's
// account, so the account's trail is part of the customer's. Tier, status and broker
// changes are the customer service's own events (customer.events).

const AccountRole = { type: 'enum', name: 'AccountRole', symbols: ['ADMIN', 'BROKER', 'CUSTOMER'] } as const

const account = [
  { name: 'accountId', type: 'string', doc: "The account: a customer's or broker's id, or the configured admin's username." },
  { name: 'role', type: AccountRole },
  { name: 'customerId', type: nullableUuid, doc: "Set for a customer's account." },
] as const

const address = { name: 'address', type: 'string', doc: 'The client address the request came from.' } as const

export const SignedIn = {
  type: 'record',
  name: 'SignedIn',
  namespace: NAMESPACE,
  doc: 'A sign-in succeeded and opened a session.',
  fields: [...account, { name: 'sessionId', type: uuid }, address, { name: 'signedInAt', type: timestamp }],
} as const

export const SignInFailed = {
  type: 'record',
  name: 'SignInFailed',
  namespace: NAMESPACE,
  doc: [
    'A sign-in was refused. The username is kept only as usernameHash (sha-256 of it trimmed and',
    'lower-cased, the sign-in throttle’s key): people type passwords into the username field, and',
    'this log can never be edited. accountId is the account when the gateway knows whose username it',
    'is (one that signed in before), else the usernameHash itself.',
  ].join(' '),
  fields: [
    { name: 'accountId', type: 'string' },
    { name: 'role', type: ['null', AccountRole], doc: 'null: no known account has this username.' },
    { name: 'customerId', type: nullableUuid },
    { name: 'usernameHash', type: 'string' },
    {
      name: 'reason',
      type: {
        type: 'enum',
        name: 'SignInFailure',
        doc: 'BAD_CREDENTIALS: unknown username or wrong password (one answer); LOCKED: refused by the per-account throttle; SUSPENDED: right password, suspended account.',
        symbols: ['BAD_CREDENTIALS', 'LOCKED', 'SUSPENDED'],
      },
    },
    address,
    { name: 'failedAt', type: timestamp },
  ],
} as const

export const SessionRefreshed = {
  type: 'record',
  name: 'SessionRefreshed',
  namespace: NAMESPACE,
  doc: 'A refresh token was traded for the next pair; the session goes on.',
  fields: [...account, { name: 'sessionId', type: uuid }, address, { name: 'refreshedAt', type: timestamp }],
} as const

export const SessionsEnded = {
  type: 'record',
  name: 'SessionsEnded',
  namespace: NAMESPACE,
  doc: 'Sessions of one account ended (sign-out, or revoked): their access and refresh tokens stop working.',
  fields: [
    ...account,
    { name: 'sessionIds', type: { type: 'array', items: uuid } },
    {
      name: 'reason',
      type: {
        type: 'enum',
        name: 'SessionEndReason',
        doc: 'SIGNED_OUT by the account; REFRESH_TOKEN_REUSED: a used refresh token came again (reuse detection); PASSWORD_CHANGED; SUSPENDED by staff.',
        symbols: ['SIGNED_OUT', 'REFRESH_TOKEN_REUSED', 'PASSWORD_CHANGED', 'SUSPENDED'],
      },
    },
    { name: 'endedBy', type: ['null', 'string'], doc: 'Subject of whoever ended them; null when the gateway did (reuse detection).' },
    address,
    { name: 'endedAt', type: timestamp },
  ],
} as const

export const PasswordChanged = {
  type: 'record',
  name: 'PasswordChanged',
  namespace: NAMESPACE,
  doc: 'The account changed its own password (proving the current one); every session of it ends (SessionsEnded).',
  fields: [...account, address, { name: 'changedAt', type: timestamp }],
} as const
