import { describe, expect, it } from 'vitest'
import {
  applyEvent,
  mergePage,
  toFeatureCollection,
  type CaseEvent,
  type MarkerStore,
} from './markers'

function item(number: string, state: string, light: string | null, lon = 119.48, lat = 39.83) {
  const category = { category: '06015', category_name: '垃圾' }
  return { number, state, light, location: { lon, lat }, ...category }
}

function event(number: string, state: string, light: string | null, lon = 119.5, lat = 39.84) {
  return {
    id: 1,
    number,
    type: 'dispatch',
    state,
    light,
    lon,
    lat,
    category: '06015',
    category_name: '垃圾',
    at: '2026-12-05T10:00:00+08:00',
  } satisfies CaseEvent
}

describe('marker collection', () => {
  it('adds listed open cases once and drops finished ones', () => {
    const store: MarkerStore = new Map()
    expect(mergePage(store, [item('A', 'registered', 'green'), item('B', 'closed', null)])).toBe(1)
    const again = [item('A', 'registered', 'red'), item('C', 'handled', 'purple')]
    expect(mergePage(store, again)).toBe(1)
    expect([...store.keys()].sort()).toEqual(['A', 'C'])
    // The first sighting is kept; an unknown light becomes null.
    expect(store.get('A')!.light).toBe('green')
    expect(store.get('C')!.light).toBeNull()
  })

  it('keeps a live update over an older page of the same case', () => {
    const store: MarkerStore = new Map()
    applyEvent(store, event('A', 'dispatched', 'yellow'))
    mergePage(store, [item('A', 'registered', 'green')])
    expect(store.get('A')).toMatchObject({ state: 'dispatched', light: 'yellow' })
  })

  it('adds, moves and recolours by event, and removes on every finished state', () => {
    const store: MarkerStore = new Map()
    expect(applyEvent(store, event('A', 'reported', null, 119.4, 39.8))).toBe('added')
    expect(applyEvent(store, event('A', 'dispatched', 'red', 119.41, 39.81))).toBe('updated')
    expect(store.get('A')).toMatchObject({ state: 'dispatched', light: 'red', lon: 119.41 })
    for (const state of ['closed', 'rejected', 'merged', 'cancelled']) {
      applyEvent(store, event('X', 'registered', 'green'))
      expect(applyEvent(store, event('X', state, null))).toBe('removed')
      expect(store.has('X')).toBe(false)
    }
    expect(applyEvent(store, event('Y', 'closed', null))).toBe('none')
    expect(store.size).toBe(1)
  })

  it('draws the markers in the map datum with a light for every feature', () => {
    const store: MarkerStore = new Map()
    mergePage(store, [item('A', 'registered', null, 119.4846, 39.8343)])
    const wgs = toFeatureCollection(store, 'wgs84')
    expect(wgs.features[0]!.geometry.coordinates).toEqual([119.4846, 39.8343])
    expect(wgs.features[0]!.properties).toMatchObject({ number: 'A', light: 'none' })
    const gcj = toFeatureCollection(store, 'gcj02')
    // Over AMap tiles the marker moves a few hundred metres east and north (metres here by the
    // local flat-earth approximation, not by the datum code).
    const [lon, lat] = gcj.features[0]!.geometry.coordinates as [number, number]
    const east = (lon - 119.4846) * 111320 * Math.cos((39.8343 * Math.PI) / 180)
    const north = (lat - 39.8343) * 110540
    expect(east).toBeGreaterThan(0)
    expect(north).toBeGreaterThan(0)
    expect(Math.hypot(east, north)).toBeGreaterThan(300)
    expect(Math.hypot(east, north)).toBeLessThan(800)
  })
})
