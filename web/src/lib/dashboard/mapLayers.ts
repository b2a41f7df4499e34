// The dashboard's map layers: boundaries, the 2.5D grid density, clustered case markers and
// component points. Paint values live here so the page's look is in one place.
import type { FeatureCollection } from 'geojson'
import type { ExpressionSpecification, GeoJSONSource, Map as MapLibre } from 'maplibre-gl'

export const kBackground = '#081523'
export const kLightColors = { green: '#2ecc71', yellow: '#f1c40f', red: '#ff4d4f', none: '#9aa7b4' }

export const kComponentKinds = {
  // Radii at zoom 11 and 16: the few monitoring points stand out, the many lamps do not.
  cameras: { categories: ['01050'], color: '#ff80ab', radius: [2, 5] },
  gauges: { categories: ['01067'], color: '#40c4ff', radius: [5, 9] },
  lamps: { categories: ['01037'], color: '#ffe082', radius: [1.2, 4] },
  manholes: { categories: ['01002', '01003'], color: '#b39ddb', radius: [1.2, 4] },
  toilets: { categories: ['03001'], color: '#80deea', radius: [3, 6] },
} as const
export type ComponentKind = keyof typeof kComponentKinds

// Which map layers each toggle of the layer panel shows or hides.
export const kToggleLayers: Record<string, string[]> = {
  street: ['regions-street-line'],
  community: ['regions-community-line'],
  grids: ['grid-density-3d', 'grid-density-line'],
  cases: ['case-clusters', 'case-points'],
  cameras: ['components-cameras'],
  gauges: ['components-gauges'],
  lamps: ['components-lamps'],
  manholes: ['components-manholes'],
  toilets: ['components-toilets'],
}

const empty: FeatureCollection = { type: 'FeatureCollection', features: [] }

export function setData(map: MapLibre, source: string, data: FeatureCollection) {
  ;(map.getSource(source) as GeoJSONSource | undefined)?.setData(data)
}

export function addBoundaryLayers(
  map: MapLibre,
  district: FeatureCollection,
  streets: FeatureCollection,
  communities: FeatureCollection,
) {
  map.addSource('regions-district', { type: 'geojson', data: district })
  map.addSource('regions-street', { type: 'geojson', data: streets })
  map.addSource('regions-community', { type: 'geojson', data: communities })
  map.addLayer({
    id: 'regions-district-fill',
    type: 'fill',
    source: 'regions-district',
    paint: { 'fill-color': '#0f2a44', 'fill-opacity': 0.85 },
  })
  map.addLayer({
    id: 'regions-community-line',
    type: 'line',
    source: 'regions-community',
    paint: { 'line-color': '#3d6e99', 'line-width': 0.8, 'line-dasharray': [3, 2] },
  })
  map.addLayer({
    id: 'regions-street-line',
    type: 'line',
    source: 'regions-street',
    paint: { 'line-color': '#4fc3f7', 'line-width': 1.6, 'line-opacity': 0.8 },
  })
  map.addLayer({
    id: 'regions-district-line',
    type: 'line',
    source: 'regions-district',
    paint: { 'line-color': '#7fdbff', 'line-width': 2.5, 'line-blur': 1 },
  })
}

export function addGridLayers(map: MapLibre) {
  map.addSource('grid-density', { type: 'geojson', data: empty })
  map.addLayer({
    id: 'grid-density-line',
    type: 'line',
    source: 'grid-density',
    paint: { 'line-color': '#2b5a83', 'line-width': 0.5 },
  })
  map.addLayer({
    id: 'grid-density-3d',
    type: 'fill-extrusion',
    source: 'grid-density',
    paint: {
      'fill-extrusion-color': ['get', 'color'],
      'fill-extrusion-height': ['get', 'height'],
      'fill-extrusion-base': 0,
      // Faded when zoomed in, where a block would hide the street the cases are on.
      'fill-extrusion-opacity': ['interpolate', ['linear'], ['zoom'], 13, 0.75, 16, 0.2],
    },
  })
}

export function addComponentLayer(map: MapLibre, kind: ComponentKind, data: FeatureCollection) {
  const id = `components-${kind}`
  const [small, large] = kComponentKinds[kind].radius
  const broken = ['!=', ['get', 'status'], 'intact'] as ExpressionSpecification
  if (map.getSource(id)) return setData(map, id, data)
  map.addSource(id, { type: 'geojson', data })
  map.addLayer(
    {
      id,
      type: 'circle',
      source: id,
      paint: {
        'circle-color': kComponentKinds[kind].color,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, small, 16, large],
        'circle-opacity': 0.9,
        // A damaged or lost component is ringed in red; the others in the page's dark blue.
        'circle-stroke-width': ['case', broken, 1.5, small > 2 ? 1 : 0],
        'circle-stroke-color': ['case', broken, '#ff4d4f', '#0b1a2b'],
      },
    },
    map.getLayer('case-clusters') ? 'case-clusters' : undefined,
  )
}

const lightColor = [
  'match',
  ['get', 'light'],
  'red',
  kLightColors.red,
  'yellow',
  kLightColors.yellow,
  'green',
  kLightColors.green,
  kLightColors.none,
]

// Clusters count their red and yellow cases so a cluster takes the colour of its worst case.
export function addCaseLayers(map: MapLibre) {
  map.addSource('cases', {
    type: 'geojson',
    data: empty,
    cluster: true,
    clusterMaxZoom: 14,
    clusterRadius: 42,
    clusterProperties: {
      red: ['+', ['case', ['==', ['get', 'light'], 'red'], 1, 0]],
      yellow: ['+', ['case', ['==', ['get', 'light'], 'yellow'], 1, 0]],
    },
  })
  map.addLayer({
    id: 'case-clusters',
    type: 'circle',
    source: 'cases',
    filter: ['has', 'point_count'],
    paint: {
      'circle-color': [
        'case',
        ['>', ['get', 'red'], 0],
        kLightColors.red,
        ['>', ['get', 'yellow'], 0],
        kLightColors.yellow,
        kLightColors.green,
      ],
      'circle-opacity': 0.8,
      'circle-radius': ['step', ['get', 'point_count'], 12, 10, 16, 50, 22, 200, 28],
      'circle-stroke-width': 2,
      'circle-stroke-color': 'rgba(255,255,255,0.55)',
    },
  })
  map.addLayer({
    id: 'case-points',
    type: 'circle',
    source: 'cases',
    filter: ['!', ['has', 'point_count']],
    paint: {
      'circle-color': lightColor as never,
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 4, 16, 8],
      'circle-stroke-width': 1.5,
      'circle-stroke-color': '#0b1a2b',
    },
  })
}

export function setVisible(map: MapLibre, toggle: string, visible: boolean) {
  for (const id of kToggleLayers[toggle] ?? []) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none')
  }
}
