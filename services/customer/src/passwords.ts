import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

// Passwords are stored as `scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<key>` (base64): the
// parameters travel with the hash, so the cost can be raised later and old hashes still verify.

const KEY_LENGTH = 32
const SALT_LENGTH = 16
const BLOCK_SIZE = 8
/**
 * Five lanes at N = 2^14: OWASP's password-storage guidance lists it beside N = 2^17 with one lane
 * as equally costly to guess, and it holds 128·N·r = 16 MiB per hash where 2^16 with one lane (the
 * earlier default: less work than either) held 64 MiB. Node runs the lanes one after the other in
 * the same buffer, so memory does not grow with them; the work is 2^14 × 5 against 2^16 × 1
 * block mixes, yet measured no slower here (145–158 against 163–175 ms a hash: 16 MiB stays closer to
 * the caches), and a burst of sign-ups no longer takes the service past 200 MB.
 */
const PARALLELISM = 5
/** log2 of scrypt's N; with r = 8 and five lanes: 16 MiB and ≈ 2^16.3 block mixes per hash. */
export const DEFAULT_COST = 14
/**
 * Hashes run at once, by default. Each holds its 128·N·r bytes (16 MiB at the default cost) until
 * it ends, and libuv would run four together. Two at a time keep a 2-core machine's hashing
 * throughput (four at once on two cores finish no sooner) and bound a burst's memory; one at a
 * time halved the throughput, and a burst of eight sign-ins on a busy machine then waited past the
 * gateway's 5 s deadline. More throughput comes from more instances (the customer service scales
 * out on CPU).
 */
export const DEFAULT_CONCURRENCY = 2

function scryptKey(password: string, salt: Buffer, keyLength: number, o: { ln: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** o.ln, r: o.r, p: o.p, maxmem: 2 * 128 * 2 ** o.ln * o.r + 1024 * 1024 }
  return new Promise((resolve, reject) => scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))))
}

/** Runs at most `max` of the given tasks at once; the rest wait their turn in arrival order. */
function limiter(max: number) {
  let running = 0
  const waiting: Array<() => void> = []
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < max) running++
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await task()
    } finally {
      // The slot passes straight to the next waiter, so `running` never drops below a busy count.
      const next = waiting.shift()
      if (next) next()
      else running--
    }
  }
}

interface Parsed {
  ln: number
  r: number
  p: number
  salt: Buffer
  key: Buffer
}

function parse(stored: string): Parsed | null {
  const m = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored)
  if (!m) return null
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (ln < 10 || ln > 20 || r < 1 || p < 1) return null
  return { ln, r, p, salt: Buffer.from(m[4]!, 'base64'), key: Buffer.from(m[5]!, 'base64') }
}

export function createPasswords(opts: { cost?: number; concurrency?: number } = {}) {
  const ln = opts.cost ?? DEFAULT_COST
  if (!Number.isInteger(ln) || ln < 10 || ln > 20) throw new Error(`password cost must be an integer from 10 to 20, got ${ln}`)
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error(`password hash concurrency must be a positive integer, got ${concurrency}`)
  const inTurn = limiter(concurrency)
  const derive = (password: string, salt: Buffer, keyLength: number, o: { ln: number; r: number; p: number }) =>
    inTurn(() => scryptKey(password, salt, keyLength, o))

  async function hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH)
    const key = await derive(password, salt, KEY_LENGTH, { ln, r: BLOCK_SIZE, p: PARALLELISM })
    return `scrypt$ln=${ln},r=${BLOCK_SIZE},p=${PARALLELISM}$${salt.toString('base64')}$${key.toString('base64')}`
  }

  async function verify(password: string, stored: string): Promise<boolean> {
    const parsed = parse(stored)
    if (!parsed || !parsed.key.length) return false
    const key = await derive(password, parsed.salt, parsed.key.length, parsed)
    return timingSafeEqual(key, parsed.key)
  }

  // Verifying against this when the user is unknown makes both failures take the same time,
  // so the answer's latency does not tell which usernames exist.
  let decoy: Promise<string> | undefined
  async function burn(password: string): Promise<false> {
    decoy ??= hash(randomBytes(16).toString('hex'))
    await verify(password, await decoy)
    return false
  }

  return { hash, verify, burn }
}

export type Passwords = ReturnType<typeof createPasswords>
