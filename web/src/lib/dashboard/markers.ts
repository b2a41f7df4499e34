// The open cases behind the map's marker layer, keyed by number. Pages of GET /cases and live
// case events both land here; the layer's GeoJSON is rebuilt from this collection.
import type { Feature, FeatureCollection, Point } from 'geojson'
import { toMapDatum, type Datum } from '@/map/datum'

export type Light = 'green' | 'yellow' | 'red'

export interface CaseMarker {
  number: string
  state: string
  light: Light | null
  lon: number // WGS84, as the server sends it
  lat: number
  category: string
  category_name: string
}

// A case as GET /api/v1/cases lists it (only the fields the map needs).
export interface CaseItem {
  number: string
  state: string
  light: string | null
  location: { lon: number; lat: number }
  category: string
  category_name: string
}

// A `case` event of GET /api/v1/live.
export interface CaseEvent {
  id: number
  number: string
  type: string
  state: string
  // The state this event left the case in (older than `state` for a backlog event).
  event_state?: string
  light: string | null
  lon: number
  lat: number
  category: string
  category_name: string
  class?: string
  department?: string
  governance_grid?: string
  at: string
}

export const kOpenStates = ['reported', 'registered', 'dispatched', 'in_progress', 'handled']
// A case in one of these states has left the map for good.
const kFinished = new Set(['closed', 'rejected', 'merged', 'cancelled'])

export type MarkerStore = Map<string, CaseMarker>

function lightOf(value: string | null | undefined): Light | null {
  return value === 'green' || value === 'yellow' || value === 'red' ? value : null
}

export function isFinished(state: string): boolean {
  return kFinished.has(state)
}

// Adds one page of listed cases; a number already present keeps its newer data from the live
// stream unless the page says the case has finished.
export function mergePage(store: MarkerStore, items: CaseItem[]): number {
  let added = 0
  for (const item of items) {
    if (isFinished(item.state)) {
      store.delete(item.number)
      continue
    }
    if (store.has(item.number)) continue
    store.set(item.number, {
      number: item.number,
      state: item.state,
      light: lightOf(item.light),
      lon: item.location.lon,
      lat: item.location.lat,
      category: item.category,
      category_name: item.category_name,
    })
    added++
  }
  return added
}

export type Change = 'added' | 'updated' | 'removed' | 'none'

// Applies a live event: a finished case leaves, any other case is added or moved/recoloured.
export function applyEvent(store: MarkerStore, event: CaseEvent): Change {
  if (isFinished(event.state)) return store.delete(event.number) ? 'removed' : 'none'
  const had = store.has(event.number)
  store.set(event.number, {
    number: event.number,
    state: event.state,
    light: lightOf(event.light),
    lon: event.lon,
    lat: event.lat,
    category: event.category,
    category_name: event.category_name,
  })
  return had ? 'updated' : 'added'
}

// The layer's data, in the map's datum; `light` is 'none' when no step runs so that the paint
// expressions need no null handling.
export function toFeatureCollection(store: MarkerStore, datum: Datum): FeatureCollection<Point> {
  const features: Feature<Point>[] = []
  for (const m of store.values()) {
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: toMapDatum([m.lon, m.lat], datum) },
      properties: {
        number: m.number,
        state: m.state,
        light: m.light ?? 'none',
        category: m.category,
        category_name: m.category_name,
      },
    })
  }
  return { type: 'FeatureCollection', features }
}
