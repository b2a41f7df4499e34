import { describe, expect, it } from 'vitest'
import { checkCaseNumber, normalizeCaseNumber } from './caseNumber'

describe('case numbers', () => {
  it('accepts the server format', () => {
    expect(checkCaseNumber('130304-20261204-000017')).toBeNull()
    expect(checkCaseNumber('130304-20240229-999999')).toBeNull()
  })

  it('names what is wrong', () => {
    expect(checkCaseNumber('  ')).toBe('empty')
    expect(checkCaseNumber('130304-2026124-000017')).toBe('format')
    expect(checkCaseNumber('130304-20261204-17')).toBe('format')
    expect(checkCaseNumber('130304_20261204_000017')).toBe('format')
    expect(checkCaseNumber('130304-20261204-000017x')).toBe('format')
    expect(checkCaseNumber('130304-20261304-000017')).toBe('date')
    expect(checkCaseNumber('130304-20250229-000017')).toBe('date')
    expect(checkCaseNumber('130304-19991231-000017')).toBe('date')
  })

  it('reads full-width digits, other dashes and spaces', () => {
    const wide = '１３０３０４－２０２６１２０４－００００１７'
    expect(normalizeCaseNumber(wide)).toBe('130304-20261204-000017')
    expect(normalizeCaseNumber(' 130304 – 20261204 — 000017 ')).toBe('130304-20261204-000017')
    expect(checkCaseNumber(wide)).toBeNull()
  })
})
