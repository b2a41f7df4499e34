// Shared by the browser tests: a real `cityops serve --demo` on a free loopback port serving
// the built pages, and Debian's Chromium driven by playwright-core.
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'
import { after, before } from 'node:test'
import { chromium } from 'playwright-core'

const here = path.dirname(fileURLToPath(import.meta.url))
export const repoRoot = path.resolve(here, '..', '..')
export const screenshotDir = path.join(repoRoot, 'test-output', 'browser')
export const kSkip = 77

export function binary() {
  return process.env.CITYOPS_BIN ?? path.join(repoRoot, 'build', 'cityops')
}

export function chromiumPath() {
  return process.env.CITYOPS_CHROMIUM ?? '/usr/bin/chromium'
}

// Starts the server on a new data directory with the demo data; resolves once it listens.
export async function startServer(extraArgs = []) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'cityops-browser-'))
  const args = ['serve', '--data', dataDir, '--listen', '127.0.0.1:0', '--demo', ...extraArgs]
  const proc = spawn(binary(), args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const log = []
  proc.stderr.on('data', (chunk) => {
    log.push(String(chunk))
    log.splice(0, Math.max(0, log.length - 200))
  })
  const users = {}
  let inTable = false
  const lines = readline.createInterface({ input: proc.stdout })
  const base = await new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`server exited with ${code}: ${log.join('')}`)))
    lines.on('line', (line) => {
      const address = line.match(/http:\/\/127\.0\.0\.1:(\d+)\//)
      if (address) return resolve(`http://127.0.0.1:${address[1]}`)
      if (line.startsWith('demo users (shown once):')) inTable = true
      const fields = line.trim().split(/\s+/)
      if (inTable && fields.length === 3 && !/^\d{4}/.test(line)) {
        users[fields[0]] = { role: fields[1], password: fields[2] }
      }
    })
  })
  // Keep reading, or a full pipe would stall the server.
  lines.on('line', () => {})
  return {
    base,
    users,
    dataDir,
    log: () => log.join(''),
    async stop() {
      proc.kill('SIGTERM')
      await new Promise((done) => (proc.exitCode !== null ? done() : proc.once('exit', done)))
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

// Chromium as this machine allows it: headless, no sandbox as root, and nothing that would
// reach for the network beyond loopback.
export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--enable-unsafe-swiftshader',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=zh-CN',
    ],
  })
}

// A page whose console errors and uncaught exceptions are collected; `errors()` lists them.
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'zh-CN', ...options })
  const page = await context.newPage()
  const errors = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`)
  })
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`))
  return { context, page, errors: () => errors.slice() }
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true })
  const file = path.join(screenshotDir, `${name}.png`)
  await page.screenshot({ path: file, fullPage: false })
  return file
}

// Signs in through the login page as a human would.
export async function signIn(page, base, username, password) {
  await page.goto(`${base}/login`)
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', password)
  await page.click('[data-test=login-submit]')
  await page.waitForSelector('[data-test=who]')
}

// The server's API, with the same demo accounts, for setting up and checking from outside the
// browser.
export async function apiCall(base, method, pathname, { token, body } = {}) {
  const headers = { Accept: 'application/json' }
  if (token) headers.Authorization = `Bearer ${token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(base + pathname, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text && text.startsWith('{') ? JSON.parse(text) : text }
}

export async function tokenFor(server, username) {
  const { password } = server.users[username]
  const res = await apiCall(server.base, 'POST', '/api/v1/sessions', {
    body: { username, password },
  })
  if (res.status !== 201) throw new Error(`sign-in of ${username} failed: ${res.status}`)
  return res.body.token
}

// The server and browser of the test file that called useServerAndBrowser(); each test file
// runs in a process of its own, so these live bindings are that file's.
export let server
export let browser

// Starts a demo server and Chromium before the file's tests and stops both after them; `ready`
// then runs, for setup that needs the server (another before() hook may run first).
export function useServerAndBrowser(ready = async () => {}) {
  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    await ready()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })
}
