// The live case stream (GET /api/v1/live, Server-Sent Events). EventSource cannot send the
// bearer header, so the token goes in `access_token`; after a drop the stream is opened again
// with `after=` the last event seen, waiting longer after each failed attempt.
import type { CaseEvent } from './markers'

export type LiveStatus = 'connecting' | 'open' | 'retrying' | 'closed'

// 1 s, 2 s, 4 s … up to 30 s; the jitter argument (0..1) spreads screens that all lost the
// server at once.
export function backoffMs(attempt: number, jitter = 0): number {
  const base = Math.min(30000, 1000 * 2 ** Math.max(0, attempt))
  return Math.round(base * (1 + 0.25 * jitter))
}

const kBacklog = 20

// A first connection asks for the last `backlog` events, so a page opened or reloaded shows
// what just happened; a reconnection asks for exactly what it missed.
export function liveUrl(token: string, after: number | null, backlog = kBacklog): string {
  const params = new URLSearchParams({ access_token: token })
  if (after !== null) params.set('after', String(after))
  else if (backlog > 0) params.set('backlog', String(backlog))
  return `/api/v1/live?${params.toString()}`
}

export interface LiveOptions {
  token: () => string
  onCase: (event: CaseEvent) => void
  onStatus: (status: LiveStatus) => void
  // For tests: the EventSource constructor and the timer.
  source?: (url: string) => EventSource
  schedule?: (fn: () => void, ms: number) => unknown
}

export class LiveStream {
  private source: EventSource | null = null
  private lastId: number | null = null
  private attempt = 0
  private stopped = false
  private timer: unknown = null

  constructor(private readonly options: LiveOptions) {}

  get lastEventId(): number | null {
    return this.lastId
  }

  start() {
    this.stopped = false
    this.open()
  }

  stop() {
    this.stopped = true
    this.source?.close()
    this.source = null
    if (this.timer !== null) clearTimeout(this.timer as ReturnType<typeof setTimeout>)
    this.timer = null
    this.options.onStatus('closed')
  }

  private open() {
    const { token, onCase, onStatus } = this.options
    const make = this.options.source ?? ((url: string) => new EventSource(url))
    onStatus(this.attempt === 0 ? 'connecting' : 'retrying')
    const source = make(liveUrl(token(), this.lastId))
    this.source = source
    source.addEventListener('hello', (e) => {
      this.attempt = 0
      onStatus('open')
      // A first connection starts from the server's present, less the backlog it asked for; a
      // resumed one keeps its place.
      if (this.lastId === null) {
        try {
          const hello = JSON.parse((e as MessageEvent).data)
          if (typeof hello.last_event_id === 'number')
            this.lastId = Math.max(0, hello.last_event_id - kBacklog)
        } catch {
          // No position given: the next connection starts from the present again.
        }
      }
    })
    source.addEventListener('case', (e) => {
      const message = e as MessageEvent
      let event: CaseEvent
      try {
        event = JSON.parse(message.data)
      } catch {
        return
      }
      const id = Number(message.lastEventId || event.id)
      if (Number.isFinite(id)) {
        if (this.lastId !== null && id <= this.lastId) return // seen before a reconnect
        this.lastId = id
      }
      onCase(event)
    })
    source.onerror = () => {
      // Reconnect ourselves (with `after=`), not by EventSource's own retry, which gives up
      // for good on any non-200 answer.
      source.close()
      if (this.source !== source || this.stopped) return
      this.source = null
      const delay = backoffMs(this.attempt++, Math.random())
      onStatus('retrying')
      const schedule = this.options.schedule ?? ((fn, ms) => setTimeout(fn, ms))
      this.timer = schedule(() => {
        this.timer = null
        if (!this.stopped) this.open()
      }, delay)
    }
  }
}

// Calls `fn` once, `ms` after the last of a burst of calls.
export function debounce(fn: () => void, ms: number): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null
  const call = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      fn()
    }, ms)
  }
  call.cancel = () => {
    if (timer) clearTimeout(timer)
    timer = null
  }
  return call
}
