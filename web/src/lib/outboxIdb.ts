// The outbox in IndexedDB, so reports survive a reload or a closed tab while offline. Photos
// are kept as bytes with their type rather than as Blob objects, which some mobile browsers
// have failed to store.
import type { OutboxItem, OutboxPhoto, OutboxStore } from './outbox'

const kDb = 'cityops-outbox'
const kItems = 'items'

interface StoredPhoto {
  name: string
  type: string
  bytes: ArrayBuffer
}

type StoredItem = Omit<OutboxItem, 'photos'> & { photos: StoredPhoto[] }

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

function open(): Promise<IDBDatabase> {
  const request = indexedDB.open(kDb, 1)
  request.onupgradeneeded = () => request.result.createObjectStore(kItems, { keyPath: 'key' })
  return done(request)
}

async function toStored(item: OutboxItem): Promise<StoredItem> {
  const photos = await Promise.all(
    item.photos.map(async (p) => ({
      name: p.name,
      type: p.blob.type,
      bytes: await p.blob.arrayBuffer(),
    })),
  )
  return { ...item, photos }
}

function fromStored(item: StoredItem): OutboxItem {
  const photos: OutboxPhoto[] = item.photos.map((p) => ({
    name: p.name,
    blob: new Blob([p.bytes], { type: p.type }),
  }))
  return { ...item, photos }
}

export class IdbStore implements OutboxStore {
  private db: Promise<IDBDatabase> | null = null

  private async items(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    this.db ??= open()
    return (await this.db).transaction(kItems, mode).objectStore(kItems)
  }

  async all(): Promise<OutboxItem[]> {
    const rows = await done((await this.items('readonly')).getAll() as IDBRequest<StoredItem[]>)
    return rows.map(fromStored)
  }

  async get(key: string): Promise<OutboxItem | undefined> {
    const row = await done((await this.items('readonly')).get(key) as IDBRequest<StoredItem>)
    return row ? fromStored(row) : undefined
  }

  async put(item: OutboxItem): Promise<void> {
    // Blobs are read before the transaction opens: it would close while waiting for them.
    const stored = await toStored(item)
    await done((await this.items('readwrite')).put(stored))
  }

  async delete(key: string): Promise<void> {
    await done((await this.items('readwrite')).delete(key))
  }
}

export function idbAvailable(): boolean {
  return typeof indexedDB !== 'undefined'
}
