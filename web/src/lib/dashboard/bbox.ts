// The bounding box [west, south, east, north] of every coordinate in a collection, or null when
// it holds none; the map fits the district's own outline rather than a configured guess.
import type { FeatureCollection, Geometry, Position } from 'geojson'

export type Bbox = [number, number, number, number]

function positions(g: Geometry, out: Position[]) {
  switch (g.type) {
    case 'Point':
      out.push(g.coordinates)
      break
    case 'MultiPoint':
    case 'LineString':
      out.push(...g.coordinates)
      break
    case 'MultiLineString':
    case 'Polygon':
      for (const line of g.coordinates) out.push(...line)
      break
    case 'MultiPolygon':
      for (const polygon of g.coordinates) for (const ring of polygon) out.push(...ring)
      break
    case 'GeometryCollection':
      for (const part of g.geometries) positions(part, out)
      break
  }
}

export function bboxOf(fc: FeatureCollection): Bbox | null {
  const all: Position[] = []
  for (const f of fc.features) if (f.geometry) positions(f.geometry, all)
  if (!all.length) return null
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity]
  for (const [x, y] of all) {
    box[0] = Math.min(box[0], x!)
    box[1] = Math.min(box[1], y!)
    box[2] = Math.max(box[2], x!)
    box[3] = Math.max(box[3], y!)
  }
  return box
}
