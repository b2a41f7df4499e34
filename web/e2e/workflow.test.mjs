// A hotline case from the intake clerk's click on the map to the inspector's check, each step
// done through the pages by the role whose job it is, while a supervisor's dashboard in a
// second page follows the counters and the case's marker live.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
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

// On the beach at Laohushi, in the community whose grids the demo inspector patrols.
const kPoint = [119.4912, 39.8125]
const kCategory = '06015'
// The demo department handler's department (src/app/demo_users.cc).
const kDepartment = 'city_mgmt'
const kNumber = /^130304-\d{8}-\d{6}$/

useServerAndBrowser()
let tmp
const pages = []

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'cityops-workflow-'))
})
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true })
})

async function open(username) {
  const opened = await openPage(browser, { viewport: { width: 1400, height: 900 } })
  pages.push({ username, ...opened })
  await signIn(opened.page, server.base, username, server.users[username].password)
  return opened
}

// The case page as the given user, waiting for its state to show.
async function openCase(page, number, state) {
  await page.goto(`${server.base}/cases/${number}`)
  await page.waitForSelector(`[data-test=case-state][data-state=${state}]`)
}

async function runAction(page, action, state) {
  await page.click(`[data-test=action-${action}]`)
  await page.click('[data-test=action-submit]')
  await page.waitForSelector(`[data-test=case-state][data-state=${state}]`)
}

// A real JPEG, as Chromium encodes a piece of a page.
async function jpegFile(page) {
  const bytes = await page.screenshot({
    type: 'jpeg',
    quality: 70,
    clip: { x: 0, y: 0, width: 160, height: 120 },
  })
  assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff])
  const file = path.join(tmp, 'after.jpg')
  writeFileSync(file, bytes)
  return file
}

// The dashboard's live view, when the dashboard page provides its test hooks.
async function dashboardProbe(page) {
  await page.goto(`${server.base}/dashboard`)
  const counter = await page
    .waitForSelector('[data-test=counter-today]', { timeout: 15000 })
    .catch(() => null)
  const hook = await page
    .waitForFunction(() => typeof window.cityopsDashboard?.caseFeature === 'function', null, {
      timeout: 5000,
    })
    .catch(() => null)
  if (!counter || !hook) {
    console.log('# no counter-today or window.cityopsDashboard: dashboard checks skipped')
    return null
  }
  const read = async () => Number((await page.textContent('[data-test=counter-today]')).trim())
  await page.waitForFunction(
    () => /^\d+$/.test(document.querySelector('[data-test=counter-today]').textContent.trim()),
  )
  return {
    read,
    async countAtLeast(n) {
      await page.waitForFunction(
        (want) =>
          Number(document.querySelector('[data-test=counter-today]').textContent.trim()) >= want,
        n,
        { timeout: 10000 },
      )
    },
    // A finished case leaves the marker layer; the live feed still shows its last event.
    async closed(number) {
      const item = `[data-test=live-feed] [data-number="${number}"][data-state=closed]`
      await page.waitForSelector(item)
      await page.waitForFunction((n) => window.cityopsDashboard.caseFeature(n) === null, number, {
        timeout: 10000,
      })
    },
    async stateIs(number, state) {
      await page.waitForFunction(
        ([n, s]) => window.cityopsDashboard.caseFeature(n)?.state === s,
        [number, state],
        { timeout: 10000 },
      )
    },
  }
}

test('a hotline case goes from the map click to closed, live on the dashboard', async () => {
  const board = await open('supervisor')
  const live = await dashboardProbe(board.page)
  const before = live ? await live.read() : 0
  await screenshot(board.page, '2x-00-dashboard-before')

  // A case already open on the same beach, filed the way any earlier call was.
  const clerkToken = await tokenFor(server, 'intake_clerk')
  const first = await apiCall(server.base, 'POST', '/api/v1/cases', {
    token: clerkToken,
    body: {
      category: kCategory,
      description: '老虎石浴场沙滩上有很多垃圾',
      location: { lon: kPoint[0] + 0.0002, lat: kPoint[1] + 0.0001, datum: 'wgs84' },
      channel: 'hotline',
    },
  })
  assert.equal(first.status, 201, JSON.stringify(first.body))
  const firstNumber = first.body.number

  // The intake clerk takes the next call about the same beach.
  const clerk = await open('intake_clerk')
  const intake = clerk.page
  await intake.waitForURL(/\/intake$/)
  await intake.click('[data-test=intake-category]')
  await intake.keyboard.type(kCategory)
  await intake.click(`li[data-ref="${kCategory}"]`)
  await intake.waitForFunction(() => window.cityopsIntake?.map?.loaded())
  const clickAt = await intake.evaluate(async (p) => {
    const map = window.cityopsIntake.map
    map.jumpTo({ center: p, zoom: 16 })
    await new Promise((done) => (map.loaded() ? done() : map.once('idle', done)))
    return map.project(p)
  }, kPoint)
  const canvas = await intake.locator('[data-test=intake-map] canvas').boundingBox()
  await intake.mouse.click(canvas.x + clickAt.x, canvas.y + clickAt.y)
  // The tiles here are WGS84, so the point comes back within a pixel of where it was.
  const placed = await intake.textContent('[data-test=intake-place]')
  const [lon, lat] = placed.trim().split(/[,\s]+/).map(Number)
  assert.ok(Math.abs(lon - kPoint[0]) < 0.0001 && Math.abs(lat - kPoint[1]) < 0.0001, placed)
  await intake.fill('[data-test=intake-description]', '老虎石浴场沙滩垃圾多')
  await intake.fill('[data-test=intake-name]', '张三')
  await intake.fill('[data-test=intake-phone]', '13812345678')
  await intake.waitForSelector(`[data-test=intake-duplicates] [data-number="${firstNumber}"]`)
  await screenshot(intake, '2x-01-intake-duplicate')
  await intake.click('[data-test=intake-save]')
  const number = (await (await intake.waitForSelector('[data-test=intake-number]')).textContent())
    .trim()
  assert.match(number, kNumber)
  assert.notEqual(number, firstNumber)
  await screenshot(intake, '2x-02-intake-number')

  // Checked from outside the browser: a hotline report at the clicked place, waiting to be
  // registered.
  const filed = await apiCall(server.base, 'GET', `/api/v1/cases/${number}`, {
    token: clerkToken,
  })
  assert.equal(filed.body.channel, 'hotline')
  assert.equal(filed.body.category, kCategory)
  assert.equal(filed.body.state, 'reported')
  assert.equal(filed.body.reporter.phone, '13812345678')
  if (live) {
    await live.countAtLeast(before + 2)
    await live.stateIs(number, 'reported')
  }

  // The shift lead registers it.
  const lead = await open('shift_lead')
  await openCase(lead.page, number, 'reported')
  await runAction(lead.page, 'register', 'registered')
  await screenshot(lead.page, '2x-03-registered')
  if (live) await live.stateIs(number, 'registered')

  // The dispatcher sends it to the city management bureau, not the routing's default.
  // The dispatcher finds it in the workbench, filtered by state and category in the URL.
  const dispatcher = await open('dispatcher')
  await dispatcher.page.goto(`${server.base}/cases?state=registered&category=${kCategory}`)
  const row = dispatcher.page.locator(`[data-test=case-table] [data-number="${number}"]`)
  await row.waitFor()
  await screenshot(dispatcher.page, '2x-04-workbench')
  await row.click()
  await dispatcher.page.waitForURL(new RegExp(`/cases/${number}$`))
  await dispatcher.page.waitForSelector('[data-test=case-state][data-state=registered]')
  await dispatcher.page.click('[data-test=action-dispatch]')
  await dispatcher.page.click('[data-test=field-department]')
  await dispatcher.page.locator(`li[data-code=${kDepartment}]`).filter({ visible: true }).click()
  // Let the dropdown finish closing before the picture.
  await dispatcher.page.waitForTimeout(400)
  await screenshot(dispatcher.page, '2x-05-dispatch-form')
  await dispatcher.page.click('[data-test=action-submit]')
  await dispatcher.page.waitForSelector('[data-test=case-state][data-state=dispatched]')
  await dispatcher.page.waitForSelector(
    `[data-test=case-department][data-department=${kDepartment}]`,
  )
  await screenshot(dispatcher.page, '2x-06-dispatched')
  if (live) await live.stateIs(number, 'dispatched')

  // The department handler signs it in the inbox and reports it handled with a photo.
  const handler = await open('department_handler')
  const inbox = handler.page
  await inbox.waitForURL(/\/inbox$/)
  await inbox.click(`[data-test=inbox-sign][data-number="${number}"]`)
  await inbox.click('.el-dialog [data-test=action-submit]')
  await inbox.waitForSelector(`[data-test=inbox-report_handling][data-number="${number}"]`)
  if (live) await live.stateIs(number, 'in_progress')
  await inbox.click(`[data-test=inbox-report_handling][data-number="${number}"]`)
  // Without a note the form says so beside the field and sends nothing.
  await inbox.click('.el-dialog [data-test=action-submit]')
  const missing = await inbox.waitForSelector('.el-dialog .el-form-item__error')
  assert.match(await missing.textContent(), /请填写此项/)
  await inbox.fill('.el-dialog [data-test=field-note]', '已组织保洁人员清理沙滩垃圾')
  await inbox.setInputFiles('.el-dialog [data-test=photo-input]', await jpegFile(inbox))
  await inbox.waitForSelector('.el-dialog [data-photo] img')
  await screenshot(inbox, '2x-07-handling-report')
  await inbox.click('.el-dialog [data-test=action-submit]')
  await inbox.waitForSelector(`[data-number="${number}"]`, { state: 'detached' })
  await screenshot(inbox, '2x-08-inbox-after')
  if (live) await live.stateIs(number, 'handled')

  // The inspector sees the after photo and passes the check; the case closes.
  const inspector = await open('inspector')
  await openCase(inspector.page, number, 'handled')
  await inspector.page.waitForSelector('[data-test=case-photos] [data-photo] img')
  await inspector.page.click('[data-test=action-verify]')
  await inspector.page.click('[data-test=result-pass]')
  await inspector.page.click('[data-test=action-submit]')
  await inspector.page.waitForSelector('[data-test=case-state][data-state=closed]')
  await screenshot(inspector.page, '2x-09-closed')
  if (live) await live.closed(number)
  await screenshot(board.page, '2x-10-dashboard-after')

  // The record agrees: every step by its role, the handling with its photo.
  const events = await apiCall(server.base, 'GET', `/api/v1/cases/${number}/events`, {
    token: clerkToken,
  })
  const steps = events.body.items.filter((e) => e.version !== null)
  assert.deepEqual(
    steps.map((e) => [e.action, e.actor, e.to_state]),
    [
      ['report', 'intake_clerk', 'reported'],
      ['register', 'shift_lead', 'registered'],
      ['dispatch', 'dispatcher', 'dispatched'],
      ['sign', 'department_handler', 'in_progress'],
      ['report_handling', 'department_handler', 'handled'],
      ['verify', 'inspector', 'closed'],
    ],
  )
  assert.equal(steps[4].attachments.length, 1)

  for (const { username, errors } of pages) assert.deepEqual(errors(), [], username)
})
