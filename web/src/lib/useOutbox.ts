// The outbox on a page: IndexedDB storage, sending through the API, and the triggers to
// retry: the page opening, the browser coming back online, and the back-off timer.
import { onBeforeUnmount, onMounted, ref } from 'vue'
import { api } from '@/api/client'
import { session } from '@/session'
import { idbAvailable, IdbStore } from './outboxIdb'
import { MemoryStore, Outbox, type OutboxItem, type Sent } from './outbox'
import { reportBody } from './reportForm'

function sendReport(item: OutboxItem): Promise<Sent> {
  return api.post<Sent>('/api/v1/reports', reportBody(item), {
    headers: { 'Idempotency-Key': item.key },
    // A citizen's report stays anonymous even if someone signs in on the phone later.
    anonymous: item.username === null,
  })
}

// Without the network the attempt would only fail; the `online` event sends it instead.
function canSend(item: OutboxItem): boolean {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return false
  return item.username === null || item.username === session.user?.username
}

function tabLock(): (<T>(run: () => Promise<T>) => Promise<T>) | undefined {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined
  if (!locks) return undefined
  return (run) => locks.request('cityops-outbox', run)
}

export function useOutbox(onSent: (item: OutboxItem, sent: Sent) => void) {
  const items = ref<OutboxItem[]>([])
  const sending = ref<string[]>([])
  let reads = 0

  async function refresh() {
    const mine = ++reads
    const list = await outbox.list()
    if (mine !== reads) return
    items.value = list
    sending.value = list.filter((i) => outbox.isSending(i.key)).map((i) => i.key)
  }

  const outbox = new Outbox(idbAvailable() ? new IdbStore() : new MemoryStore(), {
    send: sendReport,
    canSend,
    onSent,
    onChange: () => void refresh(),
    lock: tabLock(),
  })

  const flushAll = () => void outbox.flush(true).catch(() => undefined)
  onMounted(() => {
    window.addEventListener('online', flushAll)
    void refresh()
    flushAll()
  })
  onBeforeUnmount(() => {
    window.removeEventListener('online', flushAll)
    outbox.stop()
  })
  return { outbox, items, sending, flushAll, refresh }
}
