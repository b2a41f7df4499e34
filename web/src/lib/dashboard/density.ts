// Open cases per square kilometre of each governance grid, turned into the height and colour
// of its 2.5D extrusion. Heights and colours are computed here rather than with map
// expressions so that the scale follows the busiest grid of the moment.
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson'

const kEarthRadiusM = 6371008.8

// The area of a ring on the sphere (m²), by the spherical excess formula used by most GIS
// tools; good to well under a percent at district size.
function ringArea(ring: Position[]): number {
  let sum = 0
  const rad = Math.PI / 180
  for (let i = 0; i < ring.length - 1; i++) {
    const [lon1, lat1] = ring[i]!
    const [lon2, lat2] = ring[i + 1]!
    sum += (lon2! - lon1!) * rad * (2 + Math.sin(lat1! * rad) + Math.sin(lat2! * rad))
  }
  return Math.abs((sum * kEarthRadiusM * kEarthRadiusM) / 2)
}

function polygonArea(rings: Position[][]): number {
  if (!rings.length) return 0
  let area = ringArea(rings[0]!)
  for (const hole of rings.slice(1)) area -= ringArea(hole)
  return Math.max(0, area)
}

export function areaKm2(geometry: Geometry | null): number {
  if (!geometry) return 0
  if (geometry.type === 'Polygon') return polygonArea(geometry.coordinates) / 1e6
  if (geometry.type === 'MultiPolygon') {
    return geometry.coordinates.reduce((a, p) => a + polygonArea(p), 0) / 1e6
  }
  return 0
}

// From cool to alarming; a grid with no open case stays at the first colour.
export const kRamp = ['#15406a', '#1f7fb3', '#26a69a', '#ffca28', '#ff7043', '#e53935']
export const kMinHeightM = 20
export const kMaxHeightM = 900

export function rampColor(fraction: number): string {
  const f = Math.min(1, Math.max(0, fraction))
  if (f === 0) return kRamp[0]!
  const index = Math.min(kRamp.length - 1, 1 + Math.floor(f * (kRamp.length - 1) - 1e-9))
  return kRamp[index]!
}

export function heightFor(fraction: number): number {
  const f = Math.min(1, Math.max(0, fraction))
  return Math.round(kMinHeightM + f * (kMaxHeightM - kMinHeightM))
}

export interface CountItem {
  key: string
  count: number
}

// The grids with `count`, `density` (per km²), `height` (m) and `color` properties; the
// busiest grid by density reaches the full height.
export function densityGrids(grids: FeatureCollection, counts: CountItem[]): FeatureCollection {
  const byKey = new Map(counts.map((c) => [c.key, c.count]))
  const rows = grids.features.map((f) => {
    const code = String(f.properties?.code ?? f.id ?? '')
    const count = byKey.get(code) ?? 0
    const area = areaKm2(f.geometry)
    return { f, code, count, density: area > 0 ? count / area : 0 }
  })
  const max = rows.reduce((m, r) => Math.max(m, r.density), 0)
  const features: Feature[] = rows.map(({ f, code, count, density }) => {
    const fraction = max > 0 ? density / max : 0
    return {
      type: 'Feature',
      id: f.id,
      geometry: f.geometry,
      properties: {
        code,
        name: f.properties?.name ?? '',
        count,
        density: Math.round(density * 100) / 100,
        height: heightFor(fraction),
        color: rampColor(fraction),
      },
    }
  })
  return { type: 'FeatureCollection', features }
}
