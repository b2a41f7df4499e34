import { describe, expect, it } from 'vitest'
import { kMaxKept, loadMyReports, rememberReport } from './myReports'

function memory() {
  const data = new Map<string, string>()
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    data,
  }
}

describe('my reports', () => {
  it('lists newest first without repeats', () => {
    const s = memory()
    rememberReport({ number: 'a', category: '垃圾', sentAt: 1 }, s)
    rememberReport({ number: 'b', category: '垃圾', sentAt: 2 }, s)
    rememberReport({ number: 'a', category: '垃圾', sentAt: 3 }, s)
    expect(loadMyReports(s).map((r) => [r.number, r.sentAt])).toEqual([
      ['a', 3],
      ['b', 2],
    ])
  })
  it('keeps the newest fifty', () => {
    const s = memory()
    for (let i = 0; i < kMaxKept + 5; i++) {
      rememberReport({ number: `n${i}`, category: '', sentAt: i }, s)
    }
    const list = loadMyReports(s)
    expect(list).toHaveLength(50)
    expect(list[0].number).toBe('n54')
    expect(list[49].number).toBe('n5')
  })
  it('survives damaged storage', () => {
    const s = memory()
    s.setItem('cityops.myReports', '{not json')
    expect(loadMyReports(s)).toEqual([])
    s.setItem('cityops.myReports', '[{"number":1},{"number":"x","category":"","sentAt":0}]')
    expect(loadMyReports(s).map((r) => r.number)).toEqual(['x'])
  })
})
