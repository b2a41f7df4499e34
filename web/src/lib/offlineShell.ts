// Asks the service worker (public/sw.js) to keep the files of the phone pages, so that they
// open offline. Only in the built app: the dev server's modules are not hashed files.
function sameOriginAssets(): string[] {
  const names = performance.getEntriesByType('resource').map((e) => e.name)
  const urls = names.map((n) => new URL(n, location.href))
  const ours = urls.filter((u) => u.origin === location.origin)
  return [...new Set(ours.map((u) => u.pathname).filter((p) => p.startsWith('/assets/')))]
}

let asked: Promise<void> | null = null

export function keepPhonePagesOffline(): Promise<void> {
  asked ??= keep()
  return asked
}

async function keep(): Promise<void> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  try {
    const registration = await navigator.serviceWorker.register('/sw.js')
    // Both pages' code, so that one can open the other offline.
    await Promise.all([
      import('@/views/MobileReportView.vue'),
      import('@/views/LookupView.vue'),
    ])
    const worker = registration.active ?? (await navigator.serviceWorker.ready).active
    if (!worker) return
    const channel = new MessageChannel()
    const answered = new Promise((done) => (channel.port1.onmessage = (e) => done(e.data)))
    worker.postMessage({ type: 'keep', page: location.pathname, assets: sameOriginAssets() }, [
      channel.port2,
    ])
    if ((await answered) === 'kept') document.documentElement.dataset.offlineReady = 'true'
  } catch {
    // Without a service worker (plain http on a LAN address) the pages still work online.
  }
}
