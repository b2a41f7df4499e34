import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { problemText } from './problemText'

const texts: Record<string, string> = { 'problem.too_long': '内容过长' }
const t = (key: string) => texts[key] ?? key
const te = (key: string) => key in texts

describe('problemText', () => {
  it('reads a known code in the user language', () => {
    expect(problemText(new ApiError(400, 'too_long', 'x exceeds 4000 bytes', 'x'), t, te)).toBe(
      '内容过长',
    )
  })
  it('keeps the server text and code for a code it does not know', () => {
    const e = new ApiError(400, 'brand_new', 'something new happened')
    expect(problemText(e, t, te)).toBe('something new happened (brand_new)')
  })
  it('shows anything else as text', () => {
    expect(problemText(new Error('boom'), t, te)).toBe('Error: boom')
  })
})
