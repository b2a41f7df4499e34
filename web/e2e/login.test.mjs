// Every demo role signs in through the login page and lands on its own first page, with the
// role's menu and no console errors; the public pages open without signing in.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  browser,
  openPage,
  screenshot,
  server,
  signIn,
  useServerAndBrowser,
} from './harness.mjs'

// The first menu entry each role should land on (independent of web/src/roles.ts on purpose).
const kLanding = {
  admin: '/dashboard',
  intake_clerk: '/intake',
  shift_lead: '/dashboard',
  dispatcher: '/dashboard',
  department_handler: '/inbox',
  inspector: '/cases',
  grid_worker: '/report',
  supervisor: '/dashboard',
  viewer: '/dashboard',
}

useServerAndBrowser()

test('the login page renders in Chinese and refuses a wrong password', async () => {
  const { page, errors, context } = await openPage(browser)
  await page.goto(`${server.base}/`)
  await page.waitForURL(/\/login/)
  assert.match(await page.textContent('body'), /登录/)
  await page.fill('input[name=username]', 'dispatcher')
  await page.fill('input[name=password]', 'not-the-password')
  await page.click('[data-test=login-submit]')
  await page.waitForSelector('.el-alert--error')
  assert.match(await page.textContent('.el-alert--error'), /用户名或密码错误/)
  await screenshot(page, '00-login')
  // The refused sign-in is a 401 the page handled; the browser still logs the failed fetch.
  assert.deepEqual(
    errors().filter((e) => !e.includes('401')),
    [],
  )
  await context.close()
})

for (const [username, landing] of Object.entries(kLanding)) {
  test(`${username} signs in and lands on ${landing}`, async () => {
    const { page, errors, context } = await openPage(browser)
    await signIn(page, server.base, username, server.users[username].password)
    await page.waitForURL(new RegExp(`${landing}$`))
    await page.waitForLoadState('networkidle')
    await screenshot(page, `01-home-${username}`)
    assert.deepEqual(errors(), [])
    await context.close()
  })
}
