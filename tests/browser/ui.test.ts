import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { test } from 'node:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startPlatform } from '../e2e/harness.js'
import { createCustomer, deposit } from '../e2e/helpers.js'

// The web UI in a real browser (Debian's chromium through playwright-core) against the
// platform started as `npm start` starts it: every service its own process, the gateway
// serving the built UI. Nothing here waits for time: every step waits for what the page shows.
// Screenshots go to docs/screenshots (the README shows them).

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SHOTS = join(ROOT, 'docs', 'screenshots')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const STEP_TIMEOUT_MS = 60_000
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

function ensureBuilt() {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'web', 'scripts', 'ensure-built.ts')], {
    cwd: ROOT,
    stdio: 'inherit',
  })
  assert.equal(r.status, 0, 'building the web UI failed')
}

/** axe-core run inside the page (evaluated, so the page's CSP needs no exception): serious and critical violations. */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(axeSource)
  // A string, so this file needs no DOM types: it runs in the page, not here.
  const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as { violations: any[] }
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n: any) => n.target.join(' ')).join(', ')}`)
}

async function signIn(browser: Browser, url: string, username: string, password: string) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
  context.setDefaultTimeout(STEP_TIMEOUT_MS)
  const page = await context.newPage()
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(url)
  await page.getByLabel('Email (or admin)').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  // The live feed is open: what happens from here on reaches the page without a reload.
  await page.locator('.live-live').waitFor()
  return { page, context, errors }
}

const cell = (page: Page, asset: string, col: 'size' | 'usable' | 'reserved') =>
  page.locator(`tr[data-asset="${asset}"] td[data-col="${col}"]`)
const statusOf = (page: Page, orderId: string) => page.locator(`tr[data-order="${orderId}"] td[data-col="status"]`)
const waitText = (page: Page, selector: ReturnType<Page['locator']>, text: string) => selector.filter({ hasText: text }).first().waitFor()

async function placeFromTicket(page: Page, side: 'BUY' | 'SELL', asset: string, size: string, price: string) {
  await page.getByRole('radio', { name: side }).check()
  await page.getByLabel('Asset', { exact: true }).first().fill(asset)
  await page.getByLabel('Size (units)').fill(size)
  await page.getByLabel('Limit price (₺ per unit)').fill(price)
  await page.getByRole('button', { name: `Place ${side}` }).click()
  const link = page.getByRole('status').filter({ hasText: 'Order placed' }).locator('a')
  await link.waitFor()
  return (await link.getAttribute('href'))!.split('/').pop()!
}

test('the web UI in a browser, on the platform as npm start runs it', { timeout: 600_000 }, async (t) => {
  ensureBuilt()
  await mkdir(SHOTS, { recursive: true })
  const p = await startPlatform(t)
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] })
  t.after(() => browser.close())

  const admin = await p.login('admin', 'admin')
  /** Waits for an order's status on a page; on a timeout, says what the API holds, so a slow saga and a stale page differ. */
  const waitStatus = async (page: Page, orderId: string, status: string) => {
    try {
      await waitText(page, statusOf(page, orderId), status)
    } catch (err) {
      const o = await p.api('GET', `/api/orders/${orderId}`, { token: admin })
      const shown = await statusOf(page, orderId)
        .textContent()
        .catch(() => null)
      throw new Error(`order ${orderId}: page shows ${shown}, API holds ${JSON.stringify(o.body)}`, { cause: err })
    }
  }
  const ada = await createCustomer(p, admin, { name: 'Ada Lovelace' })
  const bo = await createCustomer(p, admin, { name: 'Bo Customer' })
  const broker = { email: `broker-${Date.now()}@example.com`, password: 'broker-password' }
  const created = await p.api('POST', '/api/brokers', { token: admin, body: { name: 'Bea Broker', ...broker } })
  assert.equal(created.status, 201, JSON.stringify(created.body))
  assert.equal((await p.api('PUT', `/api/customers/${ada.id}/broker`, { token: admin, body: { brokerId: created.body.id } })).status, 200)

  await t.test('when the first page loads cold, then its size and time to interactive are measured', async () => {
    const assets = join(ROOT, 'web', 'dist', 'assets')
    let raw = 0
    let gz = 0
    for (const f of readdirSync(assets)) {
      raw += statSync(join(assets, f)).size
      gz += gzipSync(readFileSync(join(assets, f))).length
    }
    const context = await browser.newContext()
    const page = await context.newPage()
    const started = Date.now()
    await page.goto(p.url)
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    const wall = Date.now() - started
    const inPage = await page.evaluate(() => Math.round(performance.now()))
    await context.close()
    console.log(`web bundle_kb=${(raw / 1024).toFixed(1)} bundle_gzip_kb=${(gz / 1024).toFixed(1)} tti_ms=${inPage} wall_ms=${wall}`)
    assert.ok(gz < 200 * 1024, `the first page downloads ${gz} bytes gzipped`)
  })

  await t.test('when the API docs open under their policy, then Swagger UI renders and the browser refuses nothing', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const refused: string[] = []
    page.on('console', (m) => {
      if (/Content Security Policy|Refused/i.test(m.text())) refused.push(m.text())
    })
    const res = await page.goto(`${p.url}/docs`)
    assert.match(String(res?.headers()['content-security-policy']), /frame-ancestors 'none'/)
    await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: STEP_TIMEOUT_MS })
    assert.deepEqual(refused, [])
    await context.close()
  })

  await t.test(
    'when a customer signs in, then a deposit arrives, a BUY reserves and becomes CONFIRMED live, and its cancel releases the money',
    async () => {
      const { page, context, errors } = await signIn(browser, p.url, ada.email, ada.password)
      await page.getByText('No balances yet').waitFor()
      await deposit(p, admin, ada.id, 1_000_000)
      await waitText(page, cell(page, 'TRY', 'size'), '₺10,000.00')

      // The ticket refuses what the API would refuse, before sending anything.
      await page.getByLabel('Size (units)').fill('10')
      await page.getByLabel('Limit price (₺ per unit)').fill('150.001')
      await page.getByRole('button', { name: 'Place BUY' }).click()
      await page.getByText('At most two decimals').waitFor()
      await page.getByLabel('Limit price (₺ per unit)').fill('5000')
      await page.getByText('Not enough usable TRY').waitFor()
      await page.getByLabel('Limit price (₺ per unit)').fill('150')
      assert.equal(await page.getByTestId('reserve').textContent(), '₺1,500.00')

      const orderId = await placeFromTicket(page, 'BUY', 'AAPL', '10', '150.00')
      await waitStatus(page, orderId, 'CONFIRMED')
      await waitText(page, cell(page, 'TRY', 'reserved'), '₺1,500.00')
      await waitText(page, cell(page, 'TRY', 'usable'), '₺8,500.00')

      // Turkish money, switched in place.
      await page.getByLabel('Language and money format').selectOption('tr')
      await waitText(page, cell(page, 'TRY', 'usable'), '8.500,00 ₺')
      await page.screenshot({ path: join(SHOTS, 'customer-portfolio-tr.png'), fullPage: true })
      await page.getByLabel('Language and money format').selectOption('en')

      assert.deepEqual(await accessibilityProblems(page), [])
      await page.screenshot({ path: join(SHOTS, 'customer-portfolio.png'), fullPage: true })

      await page.getByRole('button', { name: `Cancel order ${orderId}` }).click()
      await waitStatus(page, orderId, 'CANCELED')
      await waitText(page, cell(page, 'TRY', 'usable'), '₺10,000.00')
      await waitText(page, cell(page, 'TRY', 'reserved'), '₺0.00')

      // The order's page: its history and the saga from the audit trail.
      await page.locator(`a[href="/orders/${orderId}"]`).first().click()
      await page.getByRole('heading', { name: 'Status history' }).waitFor()
      await page.locator('.saga').getByText('OrderCancelled').first().waitFor()
      assert.deepEqual(await accessibilityProblems(page), [])
      await page.screenshot({ path: join(SHOTS, 'order-page.png'), fullPage: true })

      // On a phone-sized screen.
      await page.setViewportSize({ width: 390, height: 844 })
      await page.getByRole('link', { name: 'Portfolio' }).click()
      await page.getByRole('heading', { name: 'Order ticket' }).waitFor()
      await page.screenshot({ path: join(SHOTS, 'customer-phone.png'), fullPage: true })
      assert.deepEqual(errors, [])
      await context.close()
    },
  )

  await t.test("when a broker matches a customer's order, then the customer sees it MATCHED live", async () => {
    const customer = await signIn(browser, p.url, ada.email, ada.password)
    const orderId = await placeFromTicket(customer.page, 'BUY', 'AAPL', '4', '151.00')
    await waitStatus(customer.page, orderId, 'CONFIRMED')

    const brk = await signIn(browser, p.url, broker.email, broker.password)
    await brk.page.getByRole('link', { name: 'Open orders' }).click()
    assert.deepEqual(await accessibilityProblems(brk.page), [])
    await brk.page.screenshot({ path: join(SHOTS, 'broker-open-orders.png'), fullPage: true })
    await brk.page.getByRole('button', { name: `Match order ${orderId}` }).click()

    await waitStatus(customer.page, orderId, 'MATCHED')
    // The broker's list of resting orders lets it go as it fills.
    await statusOf(brk.page, orderId).waitFor({ state: 'detached' })
    await waitText(customer.page, cell(customer.page, 'AAPL', 'size'), '4 AAPL')
    await customer.page.screenshot({ path: join(SHOTS, 'customer-matched.png'), fullPage: true })
    await brk.context.close()
    await customer.context.close()
  })

  let boOrder = ''
  await t.test("when an admin turns crossing on, then two customers' orders fill each other", async () => {
    await deposit(p, admin, bo.id, 10, 'AAPL')
    const a = await signIn(browser, p.url, ada.email, ada.password)
    const b = await signIn(browser, p.url, bo.email, bo.password)
    const resting = await placeFromTicket(a.page, 'BUY', 'AAPL', '3', '149.00')
    boOrder = await placeFromTicket(b.page, 'SELL', 'AAPL', '5', '152.00')
    await waitStatus(b.page, boOrder, 'CONFIRMED')
    await waitStatus(a.page, resting, 'CONFIRMED')

    const adm = await signIn(browser, p.url, 'admin', 'admin')
    await adm.page.getByRole('link', { name: 'Markets' }).click()
    // The book, live: both resting orders show in the depth chart.
    await adm.page.locator('figure.depth figcaption').filter({ hasText: 'best ₺149.00' }).filter({ hasText: 'best ₺152.00' }).waitFor()
    await adm.page.getByLabel('Asset to cross').fill('AAPL')
    await adm.page.getByRole('button', { name: 'Turn crossing on' }).click()
    await adm.page.getByRole('checkbox', { name: 'Crossing AAPL' }).and(adm.page.locator(':checked')).waitFor()
    assert.deepEqual(await accessibilityProblems(adm.page), [])
    await adm.page.screenshot({ path: join(SHOTS, 'admin-markets.png'), fullPage: true })

    const crossing = await placeFromTicket(a.page, 'BUY', 'AAPL', '5', '152.00')
    await waitStatus(a.page, crossing, 'MATCHED')
    await waitStatus(b.page, boOrder, 'MATCHED')
    await waitText(b.page, cell(b.page, 'AAPL', 'size'), '5 AAPL')
    await waitText(b.page, cell(b.page, 'TRY', 'size'), '₺760.00')
    // The book empties on that side as it happens.
    await adm.page.locator('figure.depth figcaption').filter({ hasText: '0 ask levels' }).waitFor()
    await adm.page.getByRole('link', { name: 'Analytics' }).click()
    await adm.page.getByRole('heading', { name: 'Volume per asset and day' }).waitFor()
    assert.deepEqual(await accessibilityProblems(adm.page), [])
    for (const x of [a, b, adm]) await x.context.close()
    assert.deepEqual(await p.conservation(), [])
  })

  await t.test("when a customer opens another customer's order or account page, then it is not found", async () => {
    const { page, context } = await signIn(browser, p.url, ada.email, ada.password)
    await page.goto(`${p.url}/orders/${boOrder}`)
    await page.getByRole('heading', { name: 'Not found' }).waitFor()
    assert.equal(await page.getByText('SELL 5 AAPL').count(), 0)
    await page.goto(`${p.url}/customers/${bo.id}`)
    await page.getByRole('heading', { name: 'Not found' }).waitFor()
    assert.equal(await page.getByText('Bo Customer').count(), 0)
    await context.close()
  })
})
