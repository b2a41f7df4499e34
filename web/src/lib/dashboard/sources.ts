// The server reads behind the dashboard. Points come back in WGS84 and are moved into the
// map's datum here; region layers are converted by the server (`datum=`).
import type { FeatureCollection, Point } from 'geojson'
import { api } from '@/api/client'
import { toMapDatum, type Datum } from '@/map/datum'
import type { CountItem } from './density'
import { kOpenStates, type CaseItem } from './markers'
import { collectPages, type Page } from './paging'
import type { DashboardStats } from './stats'

export const kCaseCap = 3000
const kComponentPage = 1000
const kComponentCap = 8000

export function fetchStats(): Promise<DashboardStats> {
  return api.get<DashboardStats>('/api/v1/stats/dashboard')
}

export function fetchOpenCases() {
  return collectPages<CaseItem>(
    (cursor) =>
      api.get<Page<CaseItem>>('/api/v1/cases', {
        query: { state: kOpenStates.join(','), limit: 100, cursor },
      }),
    kCaseCap,
  )
}

export async function fetchGridCounts(from: string, to: string): Promise<CountItem[]> {
  const out = await api.get<{ items: CountItem[] }>('/api/v1/stats/case-counts', {
    query: { by: 'governance_grid', state: 'open', from, to },
  })
  return out.items
}

// Moves every point of a WGS84 collection into the map's datum.
export function pointsToDatum(fc: FeatureCollection, datum: Datum): FeatureCollection {
  if (datum === 'wgs84') return fc
  return {
    ...fc,
    features: fc.features.map((f) => {
      if (f.geometry?.type !== 'Point') return f
      const [lon, lat] = (f.geometry as Point).coordinates
      return { ...f, geometry: { type: 'Point', coordinates: toMapDatum([lon!, lat!], datum) } }
    }),
  }
}

// All components of some categories, a page of 1000 at a time (the GeoJSON form has no
// next_offset: a short page is the last).
export async function fetchComponents(
  categories: string[],
  datum: Datum,
): Promise<FeatureCollection> {
  const features: FeatureCollection['features'] = []
  for (const category of categories) {
    for (let offset = 0; offset < kComponentCap; offset += kComponentPage) {
      const page = await api.get<FeatureCollection>('/api/v1/components.geojson', {
        query: { category, limit: kComponentPage, offset },
      })
      features.push(...page.features)
      if (page.features.length < kComponentPage) break
    }
  }
  return pointsToDatum({ type: 'FeatureCollection', features }, datum)
}
