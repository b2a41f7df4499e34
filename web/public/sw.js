// Lets the public phone pages (/report, /lookup) open without a network, so a report kept
// offline can be seen, and sent, after the browser was closed. Only those pages' navigations
// and the hashed build files are answered here; API calls always go to the server.
const kCache = 'cityops-shell-v1'
const kShell = '/__shell.html'
const kFiles = /^\/(assets\/|favicon\.svg$)/

self.addEventListener('install', () => self.skipWaiting())
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()))

// The page sends the files it loaded: the first visit is not yet under this worker.
self.addEventListener('message', (event) => {
  if (!event.data || event.data.type !== 'keep') return
  const reply = (answer) => event.ports[0] && event.ports[0].postMessage(answer)
  const keep = async () => {
    const cache = await caches.open(kCache)
    const page = await fetch(event.data.page, { cache: 'no-cache' })
    if (page.ok) await cache.put(kShell, page)
    await cache.addAll([...event.data.assets, '/favicon.svg'])
  }
  event.waitUntil(keep().then(() => reply('kept'), (e) => reply(`failed: ${e}`)))
})

function phonePage(url) {
  return /^\/(report|lookup)(\/|$)/.test(url.pathname)
}

async function networkFirst(request) {
  try {
    const response = await fetch(request)
    if (response.ok) (await caches.open(kCache)).put(kShell, response.clone())
    return response
  } catch (e) {
    const kept = await caches.match(kShell)
    if (kept) return kept
    throw e
  }
}

async function cacheFirst(request) {
  // Module scripts ask with an Origin header, which the stored answer may vary on; a hashed
  // file is the same whoever asks.
  const kept = await caches.match(request, { ignoreVary: true })
  if (kept) return kept
  const response = await fetch(request)
  if (response.ok) (await caches.open(kCache)).put(request, response.clone())
  return response
}

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return
  if (request.mode === 'navigate' && phonePage(url)) event.respondWith(networkFirst(request))
  else if (kFiles.test(url.pathname)) event.respondWith(cacheFirst(request))
})
