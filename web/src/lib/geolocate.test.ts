import { describe, expect, it } from 'vitest'
import { accuracyText, fixProblem } from './geolocate'

describe('geolocate', () => {
  it('names the browser error codes', () => {
    expect([1, 2, 3].map(fixProblem)).toEqual(['denied', 'unavailable', 'timeout'])
  })
  it('shows accuracy in metres or kilometres', () => {
    expect(accuracyText(12.4)).toBe('±12 m')
    expect(accuracyText(0.2)).toBe('±1 m')
    expect(accuracyText(999)).toBe('±999 m')
    expect(accuracyText(2550)).toBe('±2.5 km')
  })
})
