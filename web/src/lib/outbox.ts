// Reports waiting to reach the server. Every report is stored here before the first attempt,
// so a closed tab, a dead network or a lost answer loses nothing; the idempotency key made when
// the user pressed submit travels with the report, so a retry after a lost answer is answered
// with the first case instead of a second one.
//
// Storage sits behind OutboxStore (IndexedDB in the browser, a Map in tests).
export interface ReportFields {
  category: string
  categoryName: string
  description: string
  lon: number
  lat: number
  datum: 'wgs84'
  address?: string
  phone?: string
}

export interface OutboxPhoto {
  name: string
  blob: Blob
}

export type ItemStatus = 'pending' | 'failed'

export interface OutboxItem {
  key: string
  createdAt: number
  fields: ReportFields
  photos: OutboxPhoto[]
  // The signed-in reporter, or null for a citizen. The key is scoped per reporter on the
  // server, so an item is only ever sent as the person who filed it.
  username: string | null
  status: ItemStatus
  attempts: number
  nextAttemptAt: number
  error?: string
  errorField?: string
}

export interface OutboxStore {
  all(): Promise<OutboxItem[]>
  get(key: string): Promise<OutboxItem | undefined>
  put(item: OutboxItem): Promise<void>
  delete(key: string): Promise<void>
}

export interface Sent {
  number: string
  state: string
  lookup_url: string
}

// What went wrong with one attempt: `status` 0 is no answer at all.
export interface SendFailure {
  status: number
  code: string
  message: string
  field?: string
}

export type Verdict = 'retry' | 'fail' | 'hold'

// Worth another try: no answer, a timeout, too many requests, a server fault. A 401 for a
// signed-in reporter waits for the sign-in. Every other refusal would be refused again.
export function classify(failure: SendFailure): Verdict {
  const s = failure.status
  if (s === 0 || s === 408 || s === 429 || s >= 500) return 'retry'
  if (s === 401) return 'hold'
  return 'fail'
}

export const kFirstDelayMs = 3000
export const kMaxDelayMs = 5 * 60 * 1000

// Doubling from 3 s to at most 5 min, each spread by ±20% so that many phones coming back
// together do not retry in step. `random` is in [0, 1).
export function backoffMs(attempts: number, random: number = Math.random()): number {
  const base = Math.min(kMaxDelayMs, kFirstDelayMs * 2 ** Math.max(0, attempts - 1))
  return Math.round(base * (0.8 + 0.4 * random))
}

export interface OutboxOptions {
  send: (item: OutboxItem) => Promise<Sent>
  // False while the item cannot be sent as its reporter (signed out, or another user).
  canSend?: (item: OutboxItem) => boolean
  onSent?: (item: OutboxItem, sent: Sent) => void
  onChange?: () => void
  // Serialises flushes across tabs (navigator.locks in the browser).
  lock?: <T>(run: () => Promise<T>) => Promise<T>
  now?: () => number
  random?: () => number
  setTimer?: (run: () => void, ms: number) => unknown
  clearTimer?: (timer: unknown) => void
}

export class Outbox {
  private flushing: Promise<void> | null = null
  // Asked for while a run was going: null, or whether that ask was forced.
  private again: boolean | null = null
  private timer: unknown = null
  private readonly sending = new Set<string>()

  constructor(
    private readonly store: OutboxStore,
    private readonly options: OutboxOptions,
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)()
  }

  isSending(key: string): boolean {
    return this.sending.has(key)
  }

  async list(): Promise<OutboxItem[]> {
    const items = await this.store.all()
    return items.sort((a, b) => a.createdAt - b.createdAt)
  }

  // Keeps a new report; the caller flushes to send it at once.
  async add(
    key: string,
    fields: ReportFields,
    photos: OutboxPhoto[],
    username: string | null,
  ): Promise<OutboxItem> {
    const item: OutboxItem = {
      key,
      createdAt: this.now(),
      fields,
      photos,
      username,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
    }
    await this.store.put(item)
    this.options.onChange?.()
    return item
  }

  async remove(key: string): Promise<void> {
    await this.store.delete(key)
    this.options.onChange?.()
    await this.schedule()
  }

  // Sends every pending item that is due (all of them when `force`, as after coming back
  // online). Overlapping calls share one run, with one more run after it if asked meanwhile.
  flush(force = false): Promise<void> {
    if (this.flushing) {
      this.again = (this.again ?? false) || force
      return this.flushing
    }
    const lock = this.options.lock ?? ((run) => run())
    this.flushing = lock(() => this.run(force)).finally(async () => {
      this.flushing = null
      const again = this.again
      this.again = null
      if (again !== null) await this.flush(again)
      else await this.schedule()
    })
    return this.flushing
  }

  private async run(force: boolean): Promise<void> {
    for (const listed of await this.list()) {
      // Another tab may have sent or changed it since the list was read.
      const item = await this.store.get(listed.key)
      if (!item || item.status !== 'pending') continue
      if (!force && item.nextAttemptAt > this.now()) continue
      if (this.options.canSend && !this.options.canSend(item)) continue
      await this.attempt(item)
    }
  }

  private async attempt(item: OutboxItem): Promise<void> {
    this.sending.add(item.key)
    this.options.onChange?.()
    try {
      const sent = await this.options.send(item)
      await this.store.delete(item.key)
      this.options.onSent?.(item, sent)
    } catch (e) {
      const failure = toFailure(e)
      const verdict = classify(failure)
      const attempts = item.attempts + 1
      if (verdict === 'fail') {
        await this.store.put({
          ...item,
          attempts,
          status: 'failed',
          error: failure.message,
          errorField: failure.field,
        })
      } else {
        const delay = backoffMs(attempts, (this.options.random ?? Math.random)())
        await this.store.put({ ...item, attempts, nextAttemptAt: this.now() + delay })
      }
    } finally {
      this.sending.delete(item.key)
      this.options.onChange?.()
    }
  }

  // One timer, set for the earliest pending item that may be sent.
  async schedule(): Promise<void> {
    const clear = this.options.clearTimer ?? ((t) => clearTimeout(t as number))
    const set = this.options.setTimer ?? ((run, ms) => setTimeout(run, ms))
    if (this.timer !== null) clear(this.timer)
    this.timer = null
    const due = (await this.store.all())
      .filter((i) => i.status === 'pending' && (this.options.canSend?.(i) ?? true))
      .map((i) => i.nextAttemptAt)
    if (!due.length) return
    const wait = Math.max(0, Math.min(...due) - this.now())
    this.timer = set(() => {
      this.timer = null
      void this.flush()
    }, wait)
  }

  stop(): void {
    if (this.timer !== null) (this.options.clearTimer ?? clearTimeout)(this.timer as number)
    this.timer = null
  }
}

function toFailure(e: unknown): SendFailure {
  if (e && typeof e === 'object' && 'status' in e && typeof e.status === 'number') {
    const f = e as Partial<SendFailure> & { status: number }
    return {
      status: f.status,
      code: f.code ?? `http_${f.status}`,
      message: f.message ?? '',
      field: f.field,
    }
  }
  return { status: 0, code: 'network_unreachable', message: String(e) }
}

// The Map-backed store: tests, and browsers without IndexedDB (the outbox then lasts until the
// page closes).
export class MemoryStore implements OutboxStore {
  readonly items = new Map<string, OutboxItem>()
  async all() {
    return [...this.items.values()].map((i) => ({ ...i }))
  }
  async get(key: string) {
    const item = this.items.get(key)
    return item && { ...item }
  }
  async put(item: OutboxItem) {
    this.items.set(item.key, { ...item })
  }
  async delete(key: string) {
    this.items.delete(key)
  }
}
