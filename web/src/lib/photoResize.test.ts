import { describe, expect, it } from 'vitest'
import { fitWithin, keepOriginal, photoName } from './photoResize'

describe('fitWithin', () => {
  it('scales the long side to 1600 and keeps the shape', () => {
    expect(fitWithin(4032, 3024)).toEqual([1600, 1200])
    expect(fitWithin(3024, 4032)).toEqual([1200, 1600])
    expect(fitWithin(8000, 10)).toEqual([1600, 2])
    expect(fitWithin(100000, 1)).toEqual([1600, 1])
  })
  it('leaves a small picture alone', () => {
    expect(fitWithin(1600, 900)).toEqual([1600, 900])
    expect(fitWithin(640, 480)).toEqual([640, 480])
  })
})

describe('keepOriginal', () => {
  it('keeps small JPEG, PNG and WebP only', () => {
    expect(keepOriginal('image/jpeg', 1600, 1200)).toBe(true)
    expect(keepOriginal('image/png', 640, 480)).toBe(true)
    expect(keepOriginal('image/webp', 800, 800)).toBe(true)
    expect(keepOriginal('image/jpeg', 1601, 1200)).toBe(false)
    expect(keepOriginal('image/heic', 640, 480)).toBe(false)
  })
})

describe('photoName', () => {
  it('names converted photos as JPEG', () => {
    expect(photoName('IMG_0001.HEIC', 0, true)).toBe('photo-1.jpg')
    expect(photoName('IMG_0001.jpg', 2, true)).toBe('photo-3.jpg')
    expect(photoName('IMG_0001.jpg', 2, false)).toBe('IMG_0001.jpg')
    expect(photoName('blob', 0, false)).toBe('photo-1.jpg')
  })
})
