// The phone pages in a phone-sized browser: a citizen files a report with a photo while
// offline and it arrives exactly once when the network is back; an answer lost on the way is
// retried with the same key and still makes one case; a grid worker files as himself; the
// public lookup shows the state and nothing personal.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  apiCall,
  browser,
  openPage,
  screenshot,
  server,
  signIn,
  tokenFor,
  useServerAndBrowser,
} from './harness.mjs'

// Inside Beidaihe, near 海宁路.
const kPhone = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  permissions: ['geolocation'],
  geolocation: { longitude: 119.4846, latitude: 39.8343, accuracy: 15 },
}
// page.route does not see requests that a service worker could answer; these tests need it.
const kPhoneRouted = { ...kPhone, serviceWorkers: 'block' }
const kNumber = /^130304-\d{8}-\d{6}$/
const kPhoneNumber = '13912345678'

let supervisor
useServerAndBrowser(async () => {
  supervisor = await tokenFor(server, 'supervisor')
})

// A camera-sized JPEG drawn in the page, larger than the 1600 px the page sends.
async function cameraJpeg(page) {
  const bytes = await page.evaluate(async () => {
    const canvas = document.createElement('canvas')
    canvas.width = 2400
    canvas.height = 1800
    const g = canvas.getContext('2d')
    g.fillStyle = '#3a7d5c'
    g.fillRect(0, 0, 2400, 1800)
    g.fillStyle = '#f4d03f'
    g.fillRect(600, 500, 1200, 800)
    const blob = await new Promise((done) => canvas.toBlob(done, 'image/jpeg', 0.9))
    return [...new Uint8Array(await blob.arrayBuffer())]
  })
  return { name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(bytes) }
}

async function fillReport(page, description, { photo = true, phone = '' } = {}) {
  await page.waitForSelector('[data-test=location-accuracy]')
  if (photo) {
    await page.setInputFiles('[data-test=photo-input]', await cameraJpeg(page))
    await page.waitForSelector('[data-test=photo-preview] img')
  }
  await page.click('[data-test=category-common] [data-code="06010"]')
  await page.fill('textarea[name=description]', description)
  if (phone) await page.fill('input[name=phone]', phone)
}

// The cases the supervisor sees with exactly this description (the list is newest first).
async function casesDescribed(description) {
  const res = await apiCall(server.base, 'GET', '/api/v1/cases?limit=100', { token: supervisor })
  assert.equal(res.status, 200)
  return res.body.items.filter((c) => c.description === description)
}

function unprovoked(errors, provoked) {
  return errors.filter((e) => !provoked.some((p) => e.includes(p)))
}

test('an offline report waits on the phone and arrives once when back online', async () => {
  const { page, context, errors } = await openPage(browser, kPhone)
  await page.goto(`${server.base}/report`)
  const description = `离线上报测试 ${Date.now()}：路口垃圾堆积`
  await fillReport(page, description, { phone: kPhoneNumber })
  assert.ok(
    await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    'no horizontal scroll at 390 px',
  )
  const submit = await page.locator('[data-test=report-submit]').boundingBox()
  assert.ok(submit.height >= 44, `submit button ${submit.height}px high`)
  await screenshot(page, '30-report-filled')
  // The service worker has kept the page's files, so it opens offline too.
  await page.waitForSelector('html[data-offline-ready]', { state: 'attached' })

  await context.setOffline(true)
  await page.waitForSelector('[data-test=offline-banner]')
  await page.click('[data-test=report-submit]')
  const item = page.locator('[data-test=outbox] [data-key]')
  await item.waitFor()
  const key = await item.getAttribute('data-key')
  assert.match(key, /^[0-9a-f-]{36}$/)
  await screenshot(page, '31-report-offline-outbox')

  // Reloaded offline, the page comes from the service worker and the outbox from IndexedDB.
  await page.reload()
  await page.locator(`[data-test=outbox] [data-key="${key}"]`).waitFor()
  await page.waitForSelector('[data-test=offline-banner]')
  await page.evaluate(() => window.scrollTo(0, 0))
  await screenshot(page, '32-report-offline-reloaded')

  const answered = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/reports') && r.request().method() === 'POST',
  )
  await context.setOffline(false)
  const answer = await answered
  assert.equal(answer.status(), 201)
  const body = await answer.json()
  const number = (await page.locator('[data-test=report-number]').textContent()).trim()
  assert.match(number, kNumber)
  assert.equal(body.number, number)
  assert.equal(await page.locator('[data-test=outbox]').count(), 0)
  await screenshot(page, '33-report-sent')

  const cases = await casesDescribed(description)
  assert.equal(cases.length, 1, 'exactly one case')
  assert.equal(cases[0].number, number)
  assert.equal(cases[0].channel, 'mobile_app')
  // The photo went up shrunk to 1600 px on its long side.
  assert.equal(body.photos.length, 1)
  const meta = await apiCall(server.base, 'GET', `/api/v1/photos/${body.photos[0]}/meta`, {
    token: supervisor,
  })
  assert.equal(meta.status, 200)
  assert.deepEqual([meta.body.width, meta.body.height], [1600, 1200])

  // "My reports" keeps the number; the lookup shows the state and nothing personal.
  assert.match(await page.textContent('[data-test=my-reports]'), new RegExp(number))
  await page.click('[data-test=report-number]')
  await page.waitForURL(new RegExp(`/lookup/${number}$`))
  await page.waitForSelector('[data-test=lookup-state]')
  assert.equal(await page.getAttribute('[data-test=lookup-state]', 'data-state'), 'reported')
  assert.match(await page.textContent('[data-test=lookup-state]'), /待立案/)
  assert.ok((await page.locator('[data-test=lookup-history] li').count()) >= 1)
  const text = await page.textContent('body')
  assert.ok(!text.includes(kPhoneNumber), 'no phone number on the lookup page')
  assert.ok(!text.includes('路口垃圾堆积'), 'no description on the lookup page')
  await screenshot(page, '34-lookup')

  assert.deepEqual(unprovoked(errors(), ['net::ERR_INTERNET_DISCONNECTED']), [])
  await context.close()
})

test('a lost answer is retried with the same key and makes one case', async () => {
  const { page, context, errors } = await openPage(browser, kPhoneRouted)
  const keys = []
  let first = null
  await page.route('**/api/v1/reports', async (route) => {
    keys.push(route.request().headers()['idempotency-key'])
    if (first) return route.continue()
    // The server gets the report and answers; the phone never hears it.
    const response = await route.fetch()
    first = { status: response.status(), body: await response.json() }
    await route.abort('connectionreset')
  })
  await page.goto(`${server.base}/report`)
  const description = `应答丢失测试 ${Date.now()}`
  await fillReport(page, description, { photo: false })
  await page.click('[data-test=report-submit]')
  await page.waitForSelector('[data-test=report-number]', { timeout: 20000 })
  const number = (await page.textContent('[data-test=report-number]')).trim()

  assert.equal(first.status, 201)
  assert.equal(number, first.body.number)
  assert.equal(keys.length, 2)
  assert.equal(keys[0], keys[1])
  const cases = await casesDescribed(description)
  assert.deepEqual(
    cases.map((c) => c.number),
    [number],
  )
  await screenshot(page, '35-report-after-lost-answer')
  assert.deepEqual(unprovoked(errors(), ['net::ERR_CONNECTION_RESET']), [])
  await context.close()
})

test('a refused report is marked failed with the server message and can be edited', async () => {
  const { page, context, errors } = await openPage(browser, kPhoneRouted)
  await page.route('**/api/v1/reports', (route) =>
    route.fulfill({
      status: 400,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        status: 400,
        code: 'unknown_category',
        field: 'category',
        title: '类别不存在',
      }),
    }),
  )
  await page.goto(`${server.base}/report`)
  await fillReport(page, '会被拒绝的上报', { photo: false })
  await page.click('[data-test=report-submit]')
  await page.waitForSelector('[data-test=outbox-failed]')
  assert.match(await page.textContent('[data-test=outbox-failed]'), /类别不存在/)
  await screenshot(page, '36-report-refused')
  await page.click('[data-test=outbox] button:has-text("修改")')
  // The item leaves IndexedDB first and the list after, so wait for the list to go.
  await page.waitForSelector('[data-test=outbox]', { state: 'detached' })
  assert.equal(await page.inputValue('textarea[name=description]'), '会被拒绝的上报')
  assert.equal(await page.locator('[data-test=outbox]').count(), 0)
  assert.deepEqual(unprovoked(errors(), ['status of 400']), [])
  await context.close()
})

test('a signed-in grid worker files a report as himself', async () => {
  const { page, context, errors } = await openPage(browser, kPhone)
  await signIn(page, server.base, 'grid_worker', server.users.grid_worker.password)
  await page.waitForURL(/\/report$/)
  assert.match(await page.textContent('[data-test=who]'), /\S/)
  const description = `网格员上报测试 ${Date.now()}`
  await fillReport(page, description)
  await page.click('[data-test=report-submit]')
  await page.waitForSelector('[data-test=report-number]')
  const number = (await page.textContent('[data-test=report-number]')).trim()
  assert.match(number, kNumber)
  await screenshot(page, '37-report-grid-worker')
  const cases = await casesDescribed(description)
  assert.equal(cases.length, 1)
  assert.equal(cases[0].channel, 'grid_patrol')
  assert.deepEqual(errors(), [])
  await context.close()
})

test('the lookup checks the number format and says when there is no such case', async () => {
  const { page, context, errors } = await openPage(browser, kPhone)
  await page.goto(`${server.base}/lookup`)
  await page.fill('input[name=number]', '130304-2026-1')
  await page.click('[data-test=lookup-submit]')
  assert.match(await page.textContent('[data-test=lookup-problem]'), /130304-YYYYMMDD-NNNNNN/)
  await page.fill('input[name=number]', '130304-20200101-999999')
  await page.click('[data-test=lookup-submit]')
  await page.waitForURL(/\/lookup\/130304-20200101-999999$/)
  await page.waitForSelector('[data-test=lookup-problem]')
  assert.match(await page.textContent('[data-test=lookup-problem]'), /没有找到/)
  await screenshot(page, '38-lookup-not-found')
  assert.deepEqual(unprovoked(errors(), ['status of 404']), [])
  await context.close()
})
