import { describe, expect, it } from 'vitest'
import { bboxOf } from './bbox'

describe('bbox', () => {
  it('spans every part of polygons, multipolygons and points', () => {
    const box = bboxOf({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'MultiPolygon',
            coordinates: [
              [[[119.4, 39.8], [119.5, 39.8], [119.5, 39.9], [119.4, 39.8]]],
              [[[119.31, 39.78], [119.32, 39.78], [119.32, 39.79], [119.31, 39.78]]],
            ],
          },
        },
        {
          type: 'Feature',
          properties: {},
          geometry: { type: 'Point', coordinates: [119.6, 39.85] },
        },
        { type: 'Feature', properties: {}, geometry: null as never },
      ],
    })
    expect(box).toEqual([119.31, 39.78, 119.6, 39.9])
  })

  it('is null for an empty collection', () => {
    expect(bboxOf({ type: 'FeatureCollection', features: [] })).toBeNull()
  })
})
