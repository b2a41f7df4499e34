// The base map every page shares: the configured raster tiles, or a plain background on which
// the district's own layers draw. Layers are drawn in the tiles' datum (GCJ-02 for AMap); the
// server's WGS84 data goes through toMapDatum and clicks come back through fromMapDatum.
//
// The style has no glyphs: no font is fetched from outside, so symbol layers must not use
// `text-field`. Labels are HTML markers or popups instead.
import * as maplibregl from 'maplibre-gl'
import type { StyleSpecification } from 'maplibre-gl'
import type { FeatureCollection } from 'geojson'
import { api } from '@/api/client'
import type { ClientConfig } from './clientConfig'
import { fromMapDatum, toMapDatum, type LonLat } from './datum'
import { addLabels } from './labels'
// MapLibre finds its worker next to its own module, which is not where the bundler puts it;
// the worker file is self-contained, so it is served as a plain asset and named here.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'

maplibregl.setWorkerUrl(workerUrl)

export type RegionLayer = 'district' | 'street' | 'community' | 'governance_grid' | 'unit_grid'

function style(config: ClientConfig): StyleSpecification {
  const spec: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef2f6' } }],
  }
  const url = config.map.tile_url
  if (url) {
    const subdomains = config.map.subdomains.length ? config.map.subdomains : ['']
    spec.sources.tiles = {
      type: 'raster',
      tiles: subdomains.map((s) => url.replace('{s}', s)),
      tileSize: 256,
      maxzoom: config.map.max_zoom,
      attribution: config.map.attribution,
    }
    spec.layers.push({ id: 'tiles', type: 'raster', source: 'tiles' })
  }
  return spec
}

export function createBaseMap(
  container: HTMLElement,
  config: ClientConfig,
  options: Partial<maplibregl.MapOptions> = {},
): maplibregl.Map {
  const [w, s, e, n] = config.district.bounds
  const datum = config.map.tile_datum
  const sw = toMapDatum([w, s], datum)
  const ne = toMapDatum([e, n], datum)
  const map = new maplibregl.Map({
    container,
    style: style(config),
    bounds: [sw[0], sw[1], ne[0], ne[1]],
    fitBoundsOptions: { padding: 20 },
    maxZoom: config.map.max_zoom,
    attributionControl: config.map.tile_url ? {} : false,
    ...options,
  })
  map.addControl(new maplibregl.NavigationControl({ visualizePitch: true }), 'top-right')
  return map
}

// A region layer as GeoJSON in the map's datum (the server converts it).
export async function fetchRegions(
  layer: RegionLayer,
  config: ClientConfig,
): Promise<FeatureCollection> {
  return api.get<FeatureCollection>('/api/v1/regions', {
    query: { layer, datum: config.map.tile_datum },
    anonymous: true,
  })
}

// The district outline, streets and communities as lines over the base map.
export async function addBoundaries(
  map: maplibregl.Map,
  config: ClientConfig,
  layers: RegionLayer[] = ['district', 'street', 'community'],
  labelled = true,
): Promise<void> {
  const paint: Record<RegionLayer, { color: string; width: number }> = {
    district: { color: '#0b3d6b', width: 3 },
    street: { color: '#1d6fa5', width: 2 },
    community: { color: '#6c8fb0', width: 1 },
    governance_grid: { color: '#9aa9b8', width: 0.6 },
    unit_grid: { color: '#c3ccd6', width: 0.4 },
  }
  const collections = await Promise.all(layers.map((layer) => fetchRegions(layer, config)))
  layers.forEach((layer, i) => {
    const id = `regions-${layer}`
    if (map.getSource(id)) return
    map.addSource(id, { type: 'geojson', data: collections[i] })
    map.addLayer({
      id: `${id}-line`,
      type: 'line',
      source: id,
      paint: { 'line-color': paint[layer].color, 'line-width': paint[layer].width },
    })
    if (labelled && layer === 'street') {
      addLabels(map, collections[i], { min: 0, max: 13 }, 'street')
    }
    if (labelled && layer === 'community') {
      addLabels(map, collections[i], { min: 12.5, max: 24 }, 'community')
    }
  })
}

export function mapPoint(p: LonLat, config: ClientConfig): LonLat {
  return toMapDatum(p, config.map.tile_datum)
}

export function wgs84Of(p: LonLat, config: ClientConfig): LonLat {
  return fromMapDatum(p, config.map.tile_datum)
}

// Resolves once the style has loaded, so sources and layers may be added.
export function whenLoaded(map: maplibregl.Map): Promise<void> {
  return map.loaded() ? Promise.resolve() : new Promise((done) => map.once('load', () => done()))
}
