import { describe, expect, it } from 'vitest'
import {
  MemoryStore,
  Outbox,
  backoffMs,
  classify,
  type OutboxItem,
  type ReportFields,
  type Sent,
} from './outbox'

const kFields: ReportFields = {
  category: '06010',
  categoryName: '暴露垃圾',
  description: '路边垃圾',
  lon: 119.4846,
  lat: 39.8343,
  datum: 'wgs84',
}

// A fake server: answers in the order given, and remembers every key it was sent with.
type Answer = Sent | { status: number; code?: string; message?: string; field?: string }

function server(answers: Answer[]) {
  const keys: string[] = []
  const send = async (item: OutboxItem): Promise<Sent> => {
    keys.push(item.key)
    const answer = answers.shift()
    if (!answer) throw new Error('no more answers')
    if ('number' in answer) return answer
    throw { code: 'x', message: 'refused', ...answer }
  }
  return { keys, send }
}

function harness(answers: Parameters<typeof server>[0], extra = {}) {
  const store = new MemoryStore()
  const fake = server(answers)
  let now = 1_000_000
  const timers: Array<{ run: () => void; at: number }> = []
  const sent: string[] = []
  const outbox = new Outbox(store, {
    send: fake.send,
    onSent: (_, s) => sent.push(s.number),
    now: () => now,
    random: () => 0.5,
    setTimer: (run, ms) => {
      const t = { run, at: now + ms }
      timers.push(t)
      return t
    },
    clearTimer: (t) => timers.splice(timers.indexOf(t as (typeof timers)[0]), 1),
    ...extra,
  })
  return {
    store,
    outbox,
    keys: fake.keys,
    sent,
    timers,
    advance: (ms: number) => (now += ms),
  }
}

const kSent: Sent = { number: '130304-20261205-000401', state: 'reported', lookup_url: '/lookup/x' }

describe('classify', () => {
  it('retries what may succeed later and fails what the server refused', () => {
    for (const status of [0, 408, 429, 500, 502, 503, 504]) {
      expect(classify({ status, code: '', message: '' })).toBe('retry')
    }
    for (const status of [400, 403, 404, 409, 413, 415, 422]) {
      expect(classify({ status, code: '', message: '' })).toBe('fail')
    }
    expect(classify({ status: 401, code: '', message: '' })).toBe('hold')
  })
})

describe('backoff', () => {
  it('doubles from 3 s up to 5 minutes', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, 0.5))).toEqual([3000, 6000, 12000, 24000, 48000])
    expect(backoffMs(30, 0.5)).toBe(300000)
  })
  it('spreads each delay by a fifth either way', () => {
    expect(backoffMs(2, 0)).toBe(4800)
    expect(backoffMs(2, 0.999999)).toBe(7200)
  })
})

describe('Outbox', () => {
  it('sends a kept report and forgets it', async () => {
    const h = harness([kSent])
    await h.outbox.add('k1', kFields, [], null)
    await h.outbox.flush()
    expect(h.keys).toEqual(['k1'])
    expect(h.sent).toEqual([kSent.number])
    expect(h.store.items.size).toBe(0)
    expect(h.timers).toHaveLength(0)
  })

  it('keeps a report after a network error and retries it with the same key', async () => {
    const h = harness([{ status: 0 }, { status: 503 }, kSent])
    await h.outbox.add('k1', kFields, [{ name: 'a.jpg', blob: new Blob(['x']) }], null)
    await h.outbox.flush()
    let item = h.store.items.get('k1')!
    expect(item.status).toBe('pending')
    expect(item.attempts).toBe(1)
    expect(item.nextAttemptAt).toBe(1_000_000 + 3000)
    expect(item.photos).toHaveLength(1)
    // The timer waits for the back-off; a flush before then sends nothing.
    expect(h.timers.map((t) => t.at)).toEqual([1_003_000])
    await h.outbox.flush()
    expect(h.keys).toEqual(['k1'])
    h.advance(3000)
    await h.outbox.flush()
    item = h.store.items.get('k1')!
    expect(item.attempts).toBe(2)
    expect(item.nextAttemptAt).toBe(1_003_000 + 6000)
    h.advance(6000)
    h.timers[0].run()
    await h.outbox.flush()
    expect(h.keys).toEqual(['k1', 'k1', 'k1'])
    expect(h.sent).toEqual([kSent.number])
    expect(h.store.items.size).toBe(0)
  })

  it('sends everything at once when forced, as on coming back online', async () => {
    const h = harness([{ status: 0 }, kSent])
    await h.outbox.add('k1', kFields, [], null)
    await h.outbox.flush()
    await h.outbox.flush(true)
    expect(h.keys).toEqual(['k1', 'k1'])
    expect(h.store.items.size).toBe(0)
  })

  it('marks a refused report failed with the server message and stops', async () => {
    const h = harness([
      { status: 400, code: 'outside_district', message: '不在本区', field: 'lon' },
    ])
    await h.outbox.add('k1', kFields, [], null)
    await h.outbox.flush(true)
    const item = h.store.items.get('k1')!
    expect(item.status).toBe('failed')
    expect(item.error).toBe('不在本区')
    expect(item.errorField).toBe('lon')
    await h.outbox.flush(true)
    expect(h.keys).toEqual(['k1'])
    expect(h.timers).toHaveLength(0)
    await h.outbox.remove('k1')
    expect(h.store.items.size).toBe(0)
  })

  it('retries 429 and 408 but not 409', async () => {
    const h = harness([{ status: 429 }, { status: 408 }, { status: 409 }])
    await h.outbox.add('k1', kFields, [], null)
    for (let i = 0; i < 3; i++) await h.outbox.flush(true)
    expect(h.keys).toHaveLength(3)
    expect(h.store.items.get('k1')!.status).toBe('failed')
  })

  it('holds a report filed by a user who is no longer signed in', async () => {
    let user: string | null = null
    const h = harness([kSent], { canSend: (i: OutboxItem) => i.username === user })
    await h.outbox.add('k1', kFields, [], 'grid_worker')
    await h.outbox.flush(true)
    expect(h.keys).toEqual([])
    expect(h.timers).toHaveLength(0)
    user = 'grid_worker'
    await h.outbox.flush(true)
    expect(h.keys).toEqual(['k1'])
  })

  it('sends oldest first and never the same item twice from overlapping flushes', async () => {
    const h = harness([{ ...kSent, number: 'first' }, { ...kSent, number: 'second' }])
    await h.outbox.add('old', kFields, [], null)
    h.advance(10)
    await h.outbox.add('new', kFields, [], null)
    await Promise.all([h.outbox.flush(), h.outbox.flush(true), h.outbox.flush()])
    expect(h.keys).toEqual(['old', 'new'])
    expect(h.sent).toEqual(['first', 'second'])
  })

  it('skips an item another tab sent meanwhile', async () => {
    const h = harness([kSent])
    await h.outbox.add('a', kFields, [], null)
    await h.outbox.add('b', kFields, [], null)
    const all = h.store.all.bind(h.store)
    h.store.all = async () => {
      const items = await all()
      h.store.items.delete('a')
      return items
    }
    await h.outbox.flush()
    expect(h.keys).toEqual(['b'])
  })
})
