// The command dashboard in a real browser: the map loads, the counters agree with the server's
// numbers, and a case filed, registered and cancelled through the API shows up live in the
// feed, the counters and the marker layer without a reload.
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

useServerAndBrowser()

// Retries `check` until it stops throwing or the time is up; the last failure is reported.
async function eventually(check, ms = 10000) {
  const end = Date.now() + ms
  for (;;) {
    try {
      return await check()
    } catch (e) {
      if (Date.now() > end) throw e
      await new Promise((done) => setTimeout(done, 100))
    }
  }
}

// The counters' texts as the server's numbers should read, worked out here: 0.875 → 87.5%.
function expectedCounters(stats) {
  const rate =
    stats.on_time_rate === null ? '—' : `${Math.round(stats.on_time_rate * 1000) / 10}%`
  return {
    today: String(stats.today_intake),
    open: String(stats.open),
    overdue: String(stats.overdue),
    ontime: rate,
  }
}

async function counters(page) {
  const out = {}
  for (const key of ['today', 'open', 'overdue', 'ontime']) {
    out[key] = (await page.textContent(`[data-test=counter-${key}]`)).trim()
  }
  return out
}

function feedRow(number, state) {
  return `[data-test=live-feed] [data-number="${number}"][data-state=${state}]`
}

async function caseFeature(page, number) {
  return page.evaluate((n) => window.cityopsDashboard.caseFeature(n), number)
}

test('the dashboard follows a case live from filing to cancellation', async () => {
  const { page, errors, context } = await openPage(browser, {
    viewport: { width: 1366, height: 768 },
  })
  await signIn(page, server.base, 'supervisor', server.users.supervisor.password)
  await page.goto(`${server.base}/dashboard`)
  await page.waitForSelector('[data-test=dashboard-map] canvas')
  await page.waitForFunction(() => Boolean(window.cityopsDashboard?.map))
  // The map has drawn its layers once it goes idle after they were added.
  await page.evaluate(
    () =>
      new Promise((done) => {
        const map = window.cityopsDashboard.map
        map.once('idle', done)
        map.triggerRepaint()
      }),
  )
  assert.ok(await page.evaluate(() => window.cityopsDashboard.map.getLayer('grid-density-3d')))
  assert.match(await page.textContent('body'), /今日受理/)

  const supervisor = await tokenFor(server, 'supervisor')
  const before = await eventually(async () => {
    const stats = await apiCall(server.base, 'GET', '/api/v1/stats/dashboard', {
      token: supervisor,
    })
    assert.equal(stats.status, 200)
    assert.deepEqual(await counters(page), expectedCounters(stats.body))
    return stats.body
  })
  // The demo's open cases are on the map (a page of the list, checked one by one).
  const listed = await apiCall(server.base, 'GET', '/api/v1/cases?state=dispatched&limit=5', {
    token: supervisor,
  })
  for (const item of listed.body.items) {
    await eventually(async () =>
      assert.equal((await caseFeature(page, item.number))?.state, 'dispatched'),
    )
  }
  await page.waitForSelector('[data-test=live-status][data-status=open]')
  await screenshot(page, '10-dashboard')

  // An intake clerk files a case; the dashboard sees it within a few seconds.
  const clerk = await tokenFor(server, 'intake_clerk')
  const filedAt = Date.now()
  const filed = await apiCall(server.base, 'POST', '/api/v1/cases', {
    token: clerk,
    body: {
      category: '06015',
      description: '浏览器测试：老虎石浴场沙滩垃圾较多',
      location: { lon: 119.4912, lat: 39.8125, datum: 'wgs84' },
      channel: 'hotline',
      urgency: 'normal',
      reporter: { name: '张三', phone: '13812345678' },
    },
  })
  assert.equal(filed.status, 201)
  const number = filed.body.number
  await page.waitForSelector(feedRow(number, 'reported'))
  const seenMs = Date.now() - filedAt
  assert.ok(seenMs < 3000, `the feed showed the case after ${seenMs} ms`)
  await eventually(async () => {
    const feature = await caseFeature(page, number)
    assert.ok(feature, 'the marker layer holds the new case')
    assert.equal(feature.state, 'reported')
    const light = ['green', 'yellow', 'red'].includes(filed.body.light) ? filed.body.light : null
    assert.equal(feature.light, light)
  })
  await eventually(async () =>
    assert.equal(
      (await page.textContent('[data-test=counter-today]')).trim(),
      String(before.today_intake + 1),
    ),
  )
  await screenshot(page, '11-dashboard-new-case')

  // The shift lead registers it: the marker changes state in place.
  const lead = await tokenFor(server, 'shift_lead')
  const registered = await apiCall(server.base, 'POST', `/api/v1/cases/${number}/register`, {
    token: lead,
    body: { version: filed.body.version },
  })
  assert.equal(registered.status, 200)
  await page.waitForSelector(feedRow(number, 'registered'))
  await eventually(async () => assert.equal((await caseFeature(page, number))?.state, 'registered'))

  // Cancelled, it leaves the map; today's intake still counts it.
  const cancelled = await apiCall(server.base, 'POST', `/api/v1/cases/${number}/cancel`, {
    token: lead,
    body: { version: registered.body.version, reason: '浏览器测试撤销' },
  })
  assert.equal(cancelled.status, 200)
  await page.waitForSelector(feedRow(number, 'cancelled'))
  await eventually(async () => assert.equal(await caseFeature(page, number), null))
  await eventually(async () => {
    const stats = await apiCall(server.base, 'GET', '/api/v1/stats/dashboard', {
      token: supervisor,
    })
    assert.equal(stats.body.today_intake, before.today_intake + 1)
    assert.deepEqual(await counters(page), expectedCounters(stats.body))
  })
  await screenshot(page, '12-dashboard-after-cancel')
  assert.deepEqual(errors(), [])
  await context.close()
})

test('the layer panel shows cameras, gauges and lamps, and hides the grids', async () => {
  const { page, errors, context } = await openPage(browser, {
    viewport: { width: 1920, height: 1080 },
  })
  await signIn(page, server.base, 'supervisor', server.users.supervisor.password)
  await page.goto(`${server.base}/dashboard`)
  await page.waitForFunction(() => window.cityopsDashboard?.map?.getLayer('case-points'))
  await page.click('[data-layer=cameras]')
  await page.click('[data-layer=lamps]')
  await page.click('[data-layer=grids]')
  const token = await tokenFor(server, 'supervisor')
  const count = async (category) => {
    let total = 0
    for (let offset = 0; ; offset += 1000) {
      const path = `/api/v1/components?category=${category}&limit=1000&offset=${offset}`
      const page = await apiCall(server.base, 'GET', path, { token })
      total += page.body.items.length
      if (page.body.next_offset === null) return total
    }
  }
  const expected = {
    cameras: await count('01050'),
    gauges: await count('01067'),
    lamps: await count('01037'),
  }
  assert.ok(expected.cameras > 0 && expected.gauges > 0, 'the demo has cameras and gauges')
  await eventually(async () => {
    const shown = await page.evaluate(async () => {
      const map = window.cityopsDashboard.map
      const count = async (id) => (await map.getSource(id)?.getData())?.features.length ?? -1
      return {
        cameras: await count('components-cameras'),
        gauges: await count('components-gauges'),
        lamps: await count('components-lamps'),
        grids: map.getLayoutProperty('grid-density-3d', 'visibility'),
      }
    })
    assert.deepEqual(shown, { ...expected, grids: 'none' })
  })
  await page.evaluate(
    () =>
      new Promise((done) => {
        const map = window.cityopsDashboard.map
        map.once('idle', done)
        map.triggerRepaint()
      }),
  )
  await screenshot(page, '13-dashboard-layers-wall')
  assert.deepEqual(errors(), [])
  await context.close()
})
