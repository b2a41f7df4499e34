import { describe, expect, it, vi } from 'vitest'
import { backoffMs, debounce, LiveStream, liveUrl, type LiveStatus } from './live'
import type { CaseEvent } from './markers'

// Enough of EventSource for the stream: listeners by name, onerror, close.
class FakeSource {
  listeners = new Map<string, (e: unknown) => void>()
  onerror: (() => void) | null = null
  closed = false
  constructor(readonly url: string) {}
  addEventListener(name: string, fn: (e: unknown) => void) {
    this.listeners.set(name, fn)
  }
  close() {
    this.closed = true
  }
  emit(name: string, data: unknown, lastEventId = '') {
    this.listeners.get(name)?.({ data: JSON.stringify(data), lastEventId })
  }
}

function harness() {
  const sources: FakeSource[] = []
  const timers: { fn: () => void; ms: number }[] = []
  const cases: CaseEvent[] = []
  const statuses: LiveStatus[] = []
  const stream = new LiveStream({
    token: () => 'tok',
    onCase: (e) => cases.push(e),
    onStatus: (s) => statuses.push(s),
    source: (url) => {
      const s = new FakeSource(url)
      sources.push(s)
      return s as unknown as EventSource
    },
    schedule: (fn, ms) => timers.push({ fn, ms }),
  })
  return { stream, sources, timers, cases, statuses }
}

describe('live stream', () => {
  it('builds the URL with the token and the resume position', () => {
    expect(liveUrl('a b', null)).toBe('/api/v1/live?access_token=a+b&backlog=20')
    expect(liveUrl('a b', null, 0)).toBe('/api/v1/live?access_token=a+b')
    expect(liveUrl('t', 42)).toBe('/api/v1/live?access_token=t&after=42')
  })

  it('doubles the wait up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 9].map((a) => backoffMs(a))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ])
    expect(backoffMs(0, 1)).toBe(1250)
  })

  it('resumes after the last event seen and skips repeats', () => {
    const { stream, sources, timers, cases, statuses } = harness()
    stream.start()
    expect(sources[0]!.url).toBe('/api/v1/live?access_token=tok&backlog=20')
    // The backlog: the server is at 30 and sends what came after 10.
    sources[0]!.emit('hello', { last_event_id: 30 })
    expect(statuses).toEqual(['connecting', 'open'])
    sources[0]!.emit('case', { id: 9, number: 'Z', state: 'reported' }, '9')
    sources[0]!.emit('case', { id: 11, number: 'A', state: 'reported' }, '11')
    sources[0]!.emit('case', { id: 12, number: 'B', state: 'reported' }, '12')
    sources[0]!.onerror!()
    expect(sources[0]!.closed).toBe(true)
    expect(statuses.at(-1)).toBe('retrying')
    expect(timers).toHaveLength(1)
    expect(timers[0]!.ms).toBeGreaterThanOrEqual(1000)
    timers[0]!.fn()
    expect(sources[1]!.url).toBe('/api/v1/live?access_token=tok&after=12')
    // The server repeats event 12; only 13 is new.
    sources[1]!.emit('hello', { last_event_id: 33 })
    sources[1]!.emit('case', { id: 12, number: 'B', state: 'reported' }, '12')
    sources[1]!.emit('case', { id: 13, number: 'A', state: 'closed' }, '13')
    expect(cases.map((c) => c.id)).toEqual([11, 12, 13])
    stream.stop()
    expect(sources[1]!.closed).toBe(true)
    expect(statuses.at(-1)).toBe('closed')
  })

  it('waits longer after each failed attempt and resets once connected', () => {
    const { stream, sources, timers } = harness()
    stream.start()
    for (let i = 0; i < 3; i++) {
      sources.at(-1)!.onerror!()
      timers.at(-1)!.fn()
    }
    expect(timers.map((t) => t.ms >= 1000 * 2 ** timers.indexOf(t))).toEqual([true, true, true])
    expect(timers[2]!.ms).toBeGreaterThanOrEqual(4000)
    sources.at(-1)!.emit('hello', { last_event_id: 0 })
    sources.at(-1)!.onerror!()
    expect(timers.at(-1)!.ms).toBeLessThan(2000)
    stream.stop()
  })

  it('does not reconnect once stopped', () => {
    const { stream, sources, timers } = harness()
    stream.start()
    stream.stop()
    sources[0]!.onerror?.()
    expect(timers).toHaveLength(0)
  })
})

describe('debounce', () => {
  it('runs once, after the last call of a burst', () => {
    vi.useFakeTimers()
    const fn = vi.fn()
    const call = debounce(fn, 400)
    call()
    vi.advanceTimersByTime(300)
    call()
    vi.advanceTimersByTime(300)
    expect(fn).not.toHaveBeenCalled()
    vi.advanceTimersByTime(100)
    expect(fn).toHaveBeenCalledTimes(1)
    call()
    call.cancel()
    vi.advanceTimersByTime(1000)
    expect(fn).toHaveBeenCalledTimes(1)
    vi.useRealTimers()
  })
})
