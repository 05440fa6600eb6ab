import Handlebars from 'handlebars'

// What each kind of notification says, per locale and channel. Handlebars keeps the words in
// templates rather than in string concatenation, and its `strict` mode makes a template that
// names a variable its event does not carry fail at once (the unit test renders every one).
// Email, web push and the WebSocket feed say `title` and `body`; SMS says the short `sms`;
// email wraps the body in its locale's greeting and footer.

export const LOCALES = ['en', 'tr'] as const
export type Locale = (typeof LOCALES)[number]

export const KINDS = [
  'CustomerCreated',
  'CustomerTierChanged',
  'CustomerStatusChanged',
  'DepositCompleted',
  'DepositRejected',
  'WithdrawalCompleted',
  'WithdrawalRejected',
  'OrderRejected',
  'OrderCancelled',
  'OrderPartiallyFilled',
  'OrderFilled',
  'OrderFailed',
] as const
export type Kind = (typeof KINDS)[number]

interface Texts {
  title: string
  body: string
  sms: string
}

const TEXTS: Record<Locale, Record<Kind, Texts>> = {
  en: {
    CustomerCreated: {
      title: 'Welcome to Brokerage, {{name}}',
      body: 'Your account is open.\nTo sign in, go to {{signInUrl}} and use your email {{email}} with the password you were given.',
      sms: 'Welcome to Brokerage, {{name}}. Sign in at {{signInUrl}} with {{email}}.',
    },
    CustomerTierChanged: {
      title: 'Your tier is now {{tier}}',
      body: 'Your account moved from the {{previousTier}} tier to the {{tier}} tier.',
      sms: 'Brokerage: your tier is now {{tier}} (was {{previousTier}}).',
    },
    CustomerStatusChanged: {
      title: 'Your account is now {{t status}}',
      body: 'Your account status changed from {{t previousStatus}} to {{t status}}.',
      sms: 'Brokerage: your account is now {{t status}}.',
    },
    DepositCompleted: {
      title: 'Deposit of {{money amount assetName}} completed',
      body: '{{money amount assetName}} has been credited to your account and can be used now.',
      sms: 'Brokerage: deposit of {{money amount assetName}} completed.',
    },
    DepositRejected: {
      title: 'Deposit of {{money amount assetName}} rejected',
      body: 'Your deposit of {{money amount assetName}} was rejected: {{t reason}}. Nothing was credited.',
      sms: 'Brokerage: deposit of {{money amount assetName}} rejected ({{t reason}}).',
    },
    WithdrawalCompleted: {
      title: 'Withdrawal of {{money amount assetName}} completed',
      body: '{{money amount assetName}} has left your account.',
      sms: 'Brokerage: withdrawal of {{money amount assetName}} completed.',
    },
    WithdrawalRejected: {
      title: 'Withdrawal of {{money amount assetName}} rejected',
      body: 'Your withdrawal of {{money amount assetName}} was rejected: {{t reason}}. Your balance is unchanged.',
      sms: 'Brokerage: withdrawal of {{money amount assetName}} rejected ({{t reason}}).',
    },
    OrderRejected: {
      title: 'Your {{t side}} order for {{assetName}} was rejected',
      body: 'Your {{t side}} order {{orderId}} for {{assetName}} was rejected: {{t reason}}.',
      sms: 'Brokerage: {{t side}} {{assetName}} order rejected ({{t reason}}).',
    },
    OrderCancelled: {
      title: 'Your {{t side}} order for {{assetName}} was cancelled',
      body: 'Your {{t side}} order {{orderId}} for {{assetName}} at {{money price "TRY"}} was cancelled ({{t reason}}); {{cancelledSize}} unfilled were released.',
      sms: 'Brokerage: {{t side}} {{assetName}} order cancelled, {{cancelledSize}} released.',
    },
    OrderPartiallyFilled: {
      title: 'Your {{t side}} order for {{assetName}} partially filled',
      body: '{{size}} {{assetName}} filled at {{money price "TRY"}} each. Filled so far: {{filledSize}}; remaining: {{remainingSize}}.',
      sms: 'Brokerage: {{t side}} {{size}} {{assetName}} at {{money price "TRY"}}, {{remainingSize}} remaining.',
    },
    OrderFilled: {
      title: 'Your {{t side}} order for {{assetName}} is filled',
      body: '{{size}} {{assetName}} filled at {{money price "TRY"}} each. The order is complete: {{filledSize}} filled, {{remainingSize}} remaining.',
      sms: 'Brokerage: {{t side}} {{size}} {{assetName}} at {{money price "TRY"}}, order filled.',
    },
    OrderFailed: {
      title: 'Your {{t side}} order for {{assetName}} failed',
      body: 'Your {{t side}} order {{orderId}} for {{assetName}} failed: {{t reason}}. {{filledSize}} stayed filled; everything else was released.',
      sms: 'Brokerage: {{t side}} {{assetName}} order failed ({{t reason}}).',
    },
  },
  tr: {
    CustomerCreated: {
      title: "Brokerage'a hoş geldiniz, {{name}}",
      body: 'Hesabınız açıldı.\nGiriş yapmak için {{signInUrl}} adresine gidin; e-postanız {{email}} ve size verilen parolayı kullanın.',
      sms: "Brokerage'a hoş geldiniz, {{name}}. {{signInUrl}} adresinden {{email}} ile giriş yapın.",
    },
    CustomerTierChanged: {
      title: 'Seviyeniz artık {{tier}}',
      body: 'Hesabınız {{previousTier}} seviyesinden {{tier}} seviyesine geçti.',
      sms: 'Brokerage: seviyeniz artık {{tier}} (önceki: {{previousTier}}).',
    },
    CustomerStatusChanged: {
      title: 'Hesabınız artık {{t status}}',
      body: 'Hesap durumunuz {{t previousStatus}} iken {{t status}} oldu.',
      sms: 'Brokerage: hesabınız artık {{t status}}.',
    },
    DepositCompleted: {
      title: '{{money amount assetName}} yatırma işlemi tamamlandı',
      body: '{{money amount assetName}} hesabınıza eklendi ve hemen kullanılabilir.',
      sms: 'Brokerage: {{money amount assetName}} yatırma işlemi tamamlandı.',
    },
    DepositRejected: {
      title: '{{money amount assetName}} yatırma işlemi reddedildi',
      body: '{{money amount assetName}} yatırma işleminiz reddedildi: {{t reason}}. Hesabınıza bir şey eklenmedi.',
      sms: 'Brokerage: {{money amount assetName}} yatırma işlemi reddedildi ({{t reason}}).',
    },
    WithdrawalCompleted: {
      title: '{{money amount assetName}} çekme işlemi tamamlandı',
      body: '{{money amount assetName}} hesabınızdan çıktı.',
      sms: 'Brokerage: {{money amount assetName}} çekme işlemi tamamlandı.',
    },
    WithdrawalRejected: {
      title: '{{money amount assetName}} çekme işlemi reddedildi',
      body: '{{money amount assetName}} çekme işleminiz reddedildi: {{t reason}}. Bakiyeniz değişmedi.',
      sms: 'Brokerage: {{money amount assetName}} çekme işlemi reddedildi ({{t reason}}).',
    },
    OrderRejected: {
      title: '{{assetName}} {{t side}} emriniz reddedildi',
      body: '{{assetName}} için {{orderId}} numaralı {{t side}} emriniz reddedildi: {{t reason}}.',
      sms: 'Brokerage: {{assetName}} {{t side}} emri reddedildi ({{t reason}}).',
    },
    OrderCancelled: {
      title: '{{assetName}} {{t side}} emriniz iptal edildi',
      body: '{{assetName}} için {{money price "TRY"}} fiyatlı {{orderId}} numaralı {{t side}} emriniz iptal edildi ({{t reason}}); gerçekleşmeyen {{cancelledSize}} adet serbest bırakıldı.',
      sms: 'Brokerage: {{assetName}} {{t side}} emri iptal edildi, {{cancelledSize}} adet serbest.',
    },
    OrderPartiallyFilled: {
      title: '{{assetName}} {{t side}} emriniz kısmen gerçekleşti',
      body: '{{size}} adet {{assetName}} tanesi {{money price "TRY"}} fiyattan gerçekleşti. Şimdiye kadar gerçekleşen: {{filledSize}}; kalan: {{remainingSize}}.',
      sms: 'Brokerage: {{t side}} {{size}} {{assetName}}, {{money price "TRY"}}; kalan {{remainingSize}}.',
    },
    OrderFilled: {
      title: '{{assetName}} {{t side}} emriniz tamamen gerçekleşti',
      body: '{{size}} adet {{assetName}} tanesi {{money price "TRY"}} fiyattan gerçekleşti. Emir tamamlandı: {{filledSize}} gerçekleşti, kalan {{remainingSize}}.',
      sms: 'Brokerage: {{t side}} {{size}} {{assetName}}, {{money price "TRY"}}; emir tamamlandı.',
    },
    OrderFailed: {
      title: '{{assetName}} {{t side}} emriniz başarısız oldu',
      body: '{{assetName}} için {{orderId}} numaralı {{t side}} emriniz başarısız oldu: {{t reason}}. Gerçekleşen {{filledSize}} adet korundu; geri kalan her şey serbest bırakıldı.',
      sms: 'Brokerage: {{assetName}} {{t side}} emri başarısız ({{t reason}}).',
    },
  },
}

const EMAIL_LAYOUT: Record<Locale, string> = {
  en: 'Hello{{#if name}} {{name}}{{/if}},\n\n{{{body}}}\n\n— Brokerage\nYou can choose which messages you get in your notification preferences.',
  tr: 'Merhaba{{#if name}} {{name}}{{/if}},\n\n{{{body}}}\n\n— Brokerage\nHangi mesajları alacağınızı bildirim tercihlerinizden seçebilirsiniz.',
}

// Codes the events carry (sides, statuses, reasons), in words.
const WORDS: Record<Locale, Record<string, string>> = {
  en: {
    BUY: 'buy',
    SELL: 'sell',
    ACTIVE: 'active',
    SUSPENDED: 'suspended',
    INSUFFICIENT_BALANCE: 'insufficient balance',
    RESERVATION_TIMEOUT: 'the reservation timed out',
    CUSTOMER_SUSPENDED: 'the account is suspended',
    INVALID_ORDER: 'the order is invalid',
    REQUESTED: 'on request',
    BALANCE_LIMIT_EXCEEDED: 'the balance would exceed its limit',
    INVALID_AMOUNT: 'the amount is invalid',
    IBAN_REQUIRED: 'an IBAN is required',
    SETTLEMENT_TIMEOUT: 'the settlement timed out',
    SETTLEMENT_REJECTED: 'the settlement was refused',
  },
  tr: {
    BUY: 'alış',
    SELL: 'satış',
    ACTIVE: 'aktif',
    SUSPENDED: 'askıya alınmış',
    INSUFFICIENT_BALANCE: 'bakiye yetersiz',
    RESERVATION_TIMEOUT: 'rezervasyon zaman aşımına uğradı',
    CUSTOMER_SUSPENDED: 'hesap askıya alınmış',
    INVALID_ORDER: 'emir geçersiz',
    REQUESTED: 'talep üzerine',
    BALANCE_LIMIT_EXCEEDED: 'bakiye üst sınırı aşılırdı',
    INVALID_AMOUNT: 'tutar geçersiz',
    IBAN_REQUIRED: 'IBAN gerekli',
    SETTLEMENT_TIMEOUT: 'takas zaman aşımına uğradı',
    SETTLEMENT_REJECTED: 'takas reddedildi',
  },
}

const CASH = 'TRY'

/**
 * Minor units in words, exactly (no floating point): kuruş as lira with two decimals for
 * TRY, whole units for any other asset; grouped as the locale groups digits.
 */
export function formatAmount(minor: number, assetName: string, locale: Locale): string {
  const group = (n: bigint) => new Intl.NumberFormat(locale === 'tr' ? 'tr-TR' : 'en-US').format(n)
  const v = BigInt(minor)
  const sign = v < 0n ? '-' : ''
  const abs = v < 0n ? -v : v
  if (assetName !== CASH) return `${sign}${group(abs)} ${assetName}`
  const fraction = String(abs % 100n).padStart(2, '0')
  return `${sign}${group(abs / 100n)}${locale === 'tr' ? ',' : '.'}${fraction} ${CASH}`
}

export interface Rendered {
  title: string
  body: string
  sms: string
  /** The email's plain text: the body in the locale's greeting and footer. */
  emailText: string
}

export type Vars = Record<string, string | number>

export function createTemplates() {
  const compiled = {} as Record<Locale, Record<Kind, Record<keyof Texts, Handlebars.TemplateDelegate>>>
  const layouts = {} as Record<Locale, Handlebars.TemplateDelegate>
  for (const locale of LOCALES) {
    // One environment per locale: its helpers speak that locale.
    const hb = Handlebars.create()
    hb.registerHelper('money', (minor: number, asset: string) => formatAmount(minor, asset, locale))
    hb.registerHelper('t', (code: string) => WORDS[locale][code] ?? code)
    const compile = (source: string) => hb.compile(source, { noEscape: true, strict: true })
    compiled[locale] = {} as Record<Kind, Record<keyof Texts, Handlebars.TemplateDelegate>>
    for (const kind of KINDS) {
      const t = TEXTS[locale][kind]
      compiled[locale][kind] = { title: compile(t.title), body: compile(t.body), sms: compile(t.sms) }
    }
    layouts[locale] = hb.compile(EMAIL_LAYOUT[locale], { noEscape: true })
  }

  return {
    render(kind: Kind, locale: Locale, vars: Vars, greet?: { name?: string }): Rendered {
      const t = compiled[locale][kind]
      const body = t.body(vars)
      return { title: t.title(vars), body, sms: t.sms(vars), emailText: layouts[locale]({ body, name: greet?.name ?? '' }) }
    },
  }
}

export type Templates = ReturnType<typeof createTemplates>
