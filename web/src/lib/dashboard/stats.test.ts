import { describe, expect, it } from 'vitest'
import { chinaDate, formatCount, formatRate, yearBefore } from './stats'

describe('counter texts', () => {
  it('shows rates as percentages with at most one decimal', () => {
    expect(formatRate(0.875)).toBe('87.5%')
    expect(formatRate(1)).toBe('100%')
    expect(formatRate(0)).toBe('0%')
    expect(formatRate(1 / 3)).toBe('33.3%')
    expect(formatRate(0.99999)).toBe('100%')
    expect(formatRate(null)).toBe('—')
  })

  it('shows counts as whole numbers and unknowns as a dash', () => {
    expect(formatCount(0)).toBe('0')
    expect(formatCount(1234)).toBe('1234')
    expect(formatCount(undefined)).toBe('—')
    expect(formatCount(Number.NaN)).toBe('—')
  })

  it('finds the window start a year back, across a leap day', () => {
    expect(yearBefore('2026-12-05')).toBe('2025-12-05')
    expect(yearBefore('2025-03-01')).toBe('2024-03-01')
    expect(yearBefore('2024-12-31')).toBe('2024-01-01')
  })

  it('uses the date in China, eight hours ahead of UTC', () => {
    expect(chinaDate(new Date('2026-12-05T15:59:00Z'))).toBe('2026-12-05')
    expect(chinaDate(new Date('2026-12-05T16:00:00Z'))).toBe('2026-12-06')
  })
})
