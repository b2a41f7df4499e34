import { describe, expect, it } from 'vitest'
import { districtTime, instant, nextDay, wallTime } from './time'

describe('wallTime', () => {
  it('shows the time the server wrote, whatever the browser zone', () => {
    expect(wallTime('2026-12-05T11:06:00+08:00')).toBe('2026-12-05 11:06')
    expect(wallTime('2026-01-31T23:59:59+08:00')).toBe('2026-01-31 23:59')
  })
  it('leaves empty and unknown texts alone', () => {
    expect(wallTime(null)).toBe('')
    expect(wallTime('')).toBe('')
    expect(wallTime('soon')).toBe('soon')
  })
})

describe('nextDay', () => {
  it('crosses months, years and leap days', () => {
    expect(nextDay('2026-12-05')).toBe('2026-12-06')
    expect(nextDay('2026-12-31')).toBe('2027-01-01')
    expect(nextDay('2028-02-28')).toBe('2028-02-29')
    expect(nextDay('2027-02-28')).toBe('2027-03-01')
  })
})

describe('districtTime', () => {
  it('adds seconds when missing and the +08:00 offset', () => {
    expect(districtTime('2026-12-08T17:30')).toBe('2026-12-08T17:30:00+08:00')
    expect(districtTime('2026-12-08T17:30:15')).toBe('2026-12-08T17:30:15+08:00')
  })
  it('is the instant eight hours ahead of UTC', () => {
    expect(instant(districtTime('2026-12-08T08:00:00'))).toBe(Date.UTC(2026, 11, 8, 0, 0, 0))
  })
})
