import assert from 'node:assert/strict'
import { randomBytes, scryptSync } from 'node:crypto'
import { test } from 'node:test'
import { DEFAULT_COST, createPasswords } from './passwords.js'

test('when a password is hashed with the default cost, then the parameters and a random salt are stored with it and only it verifies', async () => {
  const passwords = createPasswords()
  const [a, b] = await Promise.all([passwords.hash('correct horse'), passwords.hash('correct horse')])
  assert.match(a, new RegExp(`^scrypt\\$ln=${DEFAULT_COST},r=8,p=5\\$[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}=$`))
  assert.notEqual(a, b, 'each hash has its own salt')
  assert.equal(a.includes('correct horse'), false)
  assert.equal(await passwords.verify('correct horse', a), true)
  assert.equal(await passwords.verify('correct horse ', a), false)
  assert.equal(await passwords.verify('', a), false)
})

test('when the cost changes, then older hashes still verify with their own parameters', async () => {
  const cheap = await createPasswords({ cost: 10 }).hash('s3cret pass')
  assert.equal(await createPasswords({ cost: 12 }).verify('s3cret pass', cheap), true)
})

test('when hashed at the default cost, then a hash holds at most 16 MiB and costs no less work than N = 2^16 with one lane', async () => {
  const stored = await createPasswords().hash('x')
  const [, ln, r, p] = /^scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$/.exec(stored)!.map(Number)
  assert.ok(128 * 2 ** ln! * r! <= 16 * 1024 * 1024, stored)
  assert.ok(2 ** ln! * p! >= 2 ** 16, stored)
})

test('when a hash was stored with one lane (the earlier default), then it still verifies', async () => {
  const salt = randomBytes(16)
  const key = scryptSync('old pass', salt, 32, { N: 2 ** 10, r: 8, p: 1 })
  const stored = `scrypt$ln=10,r=8,p=1$${salt.toString('base64')}$${key.toString('base64')}`
  assert.equal(await createPasswords().verify('old pass', stored), true)
  assert.equal(await createPasswords().verify('old pass!', stored), false)
})

test('when a stored hash is malformed, then nothing verifies against it', async () => {
  const passwords = createPasswords({ cost: 10 })
  for (const stored of ['', 'plain', 'scrypt$ln=99,r=8,p=1$AAAA$AAAA', 'scrypt$ln=10,r=8,p=1$$', 'bcrypt$2b$10$abc']) {
    assert.equal(await passwords.verify('anything', stored), false, stored)
  }
  assert.equal(await passwords.burn('anything'), false)
})

test('when the cost is out of range, then creating the hasher fails loudly', () => {
  assert.throws(() => createPasswords({ cost: 30 }))
  assert.throws(() => createPasswords({ cost: 4.5 }))
})
