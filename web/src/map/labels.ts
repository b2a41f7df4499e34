// Names of streets and communities on the map. The style has no glyphs (no font is fetched),
// so names are small HTML markers, each shown in the zoom range where it helps: street names
// when the whole district is in view, community names closer in.
import * as maplibregl from 'maplibre-gl'
import type { Feature, FeatureCollection, Position } from 'geojson'

type Ring = Position[]

// The area-weighted centroid of a ring (shoelace), or its first point when it has no area.
function ringCentroid(ring: Ring): { x: number; y: number; area: number } {
  let area = 0
  let x = 0
  let y = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j] as [number, number]
    const [x1, y1] = ring[i] as [number, number]
    const cross = x0 * y1 - x1 * y0
    area += cross
    x += (x0 + x1) * cross
    y += (y0 + y1) * cross
  }
  if (area === 0) return { x: ring[0]?.[0] ?? 0, y: ring[0]?.[1] ?? 0, area: 0 }
  return { x: x / (3 * area), y: y / (3 * area), area: Math.abs(area / 2) }
}

// Where a region's name goes: the centroid of the outer ring of its largest polygon.
export function labelPoint(feature: Feature): [number, number] | null {
  const g = feature.geometry
  const polygons: Ring[][] =
    g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : []
  let best: { x: number; y: number; area: number } | null = null
  for (const polygon of polygons) {
    if (!polygon[0]?.length) continue
    const c = ringCentroid(polygon[0])
    if (!best || c.area > best.area) best = c
  }
  return best ? [best.x, best.y] : null
}

export function addLabels(
  map: maplibregl.Map,
  regions: FeatureCollection,
  zoom: { min: number; max: number },
  className: string,
): void {
  const markers: HTMLElement[] = []
  for (const feature of regions.features) {
    const at = labelPoint(feature)
    const name = feature.properties?.name
    if (!at || typeof name !== 'string') continue
    const element = document.createElement('div')
    element.className = `map-label ${className}`
    element.textContent = name
    markers.push(element)
    new maplibregl.Marker({ element }).setLngLat(at).addTo(map)
  }
  const show = () => {
    const z = map.getZoom()
    const visible = z >= zoom.min && z < zoom.max
    for (const element of markers) element.style.display = visible ? '' : 'none'
  }
  map.on('zoom', show)
  show()
}
