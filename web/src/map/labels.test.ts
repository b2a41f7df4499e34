import { describe, expect, it } from 'vitest'
import { labelPoint } from './labels'

describe('labelPoint', () => {
  it('puts a square name at its centre, whichever way the ring turns', () => {
    const square = [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
      [0, 0],
    ]
    const feature = (ring: number[][]) => ({
      type: 'Feature',
      properties: {},
      geometry: { type: 'Polygon', coordinates: [ring] },
    })
    expect(labelPoint(feature(square) as never)).toEqual([1, 1])
    expect(labelPoint(feature([...square].reverse()) as never)).toEqual([1, 1])
  })

  it('takes the largest part of a multipolygon', () => {
    // An island of 1×1 around (10.5, 10.5) and a 4×2 mainland centred on (2, 1).
    const island = [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]]
    const mainland = [[[0, 0], [4, 0], [4, 2], [0, 2], [0, 0]]]
    const feature = {
      type: 'Feature',
      properties: {},
      geometry: { type: 'MultiPolygon', coordinates: [island, mainland] },
    }
    expect(labelPoint(feature as never)).toEqual([2, 1])
  })

  it('gives nothing for a feature without an area', () => {
    expect(labelPoint({ type: 'Feature', properties: {}, geometry: null } as never)).toBeNull()
  })
})
