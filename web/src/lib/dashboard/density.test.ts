import { describe, expect, it } from 'vitest'
import type { FeatureCollection, Polygon } from 'geojson'
import { areaKm2, densityGrids, kMaxHeightM, kMinHeightM, kRamp } from './density'

// A square of `km` kilometres a side at Beidaihe's latitude, from metres per degree computed
// here with the sphere's radius.
function square(lon: number, lat: number, km: number): Polygon {
  const mPerDegLat = (Math.PI / 180) * 6371008.8
  const dLat = (km * 1000) / mPerDegLat
  const dLon = (km * 1000) / (mPerDegLat * Math.cos(((lat + dLat / 2) * Math.PI) / 180))
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + dLon, lat],
        [lon + dLon, lat + dLat],
        [lon, lat + dLat],
        [lon, lat],
      ],
    ],
  }
}

describe('grid density', () => {
  it('measures a 1 km and a 2 km square within half a percent', () => {
    expect(areaKm2(square(119.48, 39.83, 1))).toBeCloseTo(1, 2)
    expect(Math.abs(areaKm2(square(119.4, 39.8, 2)) - 4)).toBeLessThan(0.02)
  })

  it('subtracts holes and adds the parts of a multipolygon', () => {
    const outer = square(119.48, 39.83, 2).coordinates[0]!
    const hole = square(119.485, 39.835, 1).coordinates[0]!
    expect(areaKm2({ type: 'Polygon', coordinates: [outer, hole] })).toBeCloseTo(3, 1)
    const multi = {
      type: 'MultiPolygon' as const,
      coordinates: [square(119.4, 39.8, 1).coordinates, square(119.5, 39.8, 1).coordinates],
    }
    expect(areaKm2(multi)).toBeCloseTo(2, 1)
  })

  it('scales height and colour by cases per km², the densest grid at full height', () => {
    const grids: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'G1' }, geometry: square(119.40, 39.80, 1) },
        { type: 'Feature', properties: { code: 'G2' }, geometry: square(119.45, 39.80, 2) },
        { type: 'Feature', properties: { code: 'G3' }, geometry: square(119.50, 39.80, 1) },
      ],
    }
    // G1: 4 per km²; G2: 8 cases on 4 km² = 2 per km², half of G1; G3: none.
    const out = densityGrids(grids, [
      { key: 'G2', count: 8 },
      { key: 'G1', count: 4 },
      { key: 'unknown', count: 50 },
    ])
    const [g1, g2, g3] = out.features.map((f) => f.properties!)
    expect(g1).toMatchObject({ count: 4, height: kMaxHeightM, color: kRamp[kRamp.length - 1] })
    expect(g2!.count).toBe(8)
    expect(g2!.density).toBeCloseTo(2, 1)
    // Half the density, half way up (the squares' areas are exact to a fraction of a percent).
    expect(Math.abs(g2!.height - (kMinHeightM + kMaxHeightM) / 2)).toBeLessThan(10)
    expect(g3).toMatchObject({ count: 0, density: 0, height: kMinHeightM, color: kRamp[0] })
    expect(g2!.color).not.toBe(kRamp[0])
    expect(g2!.color).not.toBe(kRamp[kRamp.length - 1])
  })

  it('draws every grid flat when nothing is open', () => {
    const grids: FeatureCollection = {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { code: 'G1' }, geometry: square(119.4, 39.8, 1) }],
    }
    expect(densityGrids(grids, []).features[0]!.properties).toMatchObject({
      height: kMinHeightM,
      color: kRamp[0],
    })
  })
})
