import { describe, expect, it } from 'vitest'
import { formatChinaTime } from './chinaTime'

describe('formatChinaTime', () => {
  it('shows China Standard Time', () => {
    expect(formatChinaTime('2026-12-04T16:30:00Z')).toBe('2026-12-05 00:30')
    expect(formatChinaTime('2026-12-05T09:05:00+08:00')).toBe('2026-12-05 09:05')
  })
  it('shows nothing for no time', () => {
    expect(formatChinaTime(null)).toBe('')
    expect(formatChinaTime('')).toBe('')
    expect(formatChinaTime('soon')).toBe('')
  })
})
