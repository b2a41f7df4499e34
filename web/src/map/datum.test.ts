import { describe, expect, it } from 'vitest'
import { gcj02ToWgs84, wgs84ToGcj02 } from './datum'

// Great-circle metres, computed here rather than by the code under test.
function metres(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180
  const dlat = (b[1] - a[1]) * rad
  const dlon = (b[0] - a[0]) * rad
  const h =
    Math.sin(dlat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dlon / 2) ** 2
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h))
}

describe('GCJ-02', () => {
  const beidaihe: [number, number] = [119.4846, 39.8343]

  it('shifts Beidaihe by a few hundred metres to the east and north', () => {
    const gcj = wgs84ToGcj02(beidaihe)
    expect(gcj[0]).toBeGreaterThan(beidaihe[0])
    expect(gcj[1]).toBeGreaterThan(beidaihe[1])
    const shift = metres(beidaihe, gcj)
    expect(shift).toBeGreaterThan(300)
    expect(shift).toBeLessThan(800)
  })

  it('leaves points outside China where they are', () => {
    expect(wgs84ToGcj02([2.35, 48.85])).toEqual([2.35, 48.85])
  })

  it('inverts to within a centimetre across the district', () => {
    for (let i = 0; i < 25; i++) {
      const p: [number, number] = [119.38 + (i % 5) * 0.03, 39.78 + Math.floor(i / 5) * 0.02]
      expect(metres(p, gcj02ToWgs84(wgs84ToGcj02(p)))).toBeLessThan(0.01)
    }
  })
})
