// Endpoints the hotline intake form asks while a call is taken.
import { api } from './client'
import type { CaseRecord } from './cases'

export interface SimilarCase {
  number: string
  category: string
  category_name: string
  state: string
  distance_m: number
  reported_at: string
  description: string
}

export interface NearComponent {
  id: string
  name: string
  category_name: string
  address: string
  status: string
  distance_m: number
}

export interface Place {
  name: string
  kind: string
  lon: number
  lat: number
}

export interface Resolved extends Place {
  precision: string
  matched: string
}

export interface Located {
  inside: boolean
  street: string
  community: string
  unit_grid: string
  governance_grid: string
}

export interface RegionInfo {
  code: string
  name: string
  parents: { code: string; layer: string; name: string }[]
}

export interface Filed extends CaseRecord {
  duplicates?: { number: string }[]
}

export async function similarCases(query: Record<string, string | number>, signal: AbortSignal) {
  const a = await api.get<{ items: SimilarCase[] }>('/api/v1/cases/similar', { query, signal })
  return a.items
}

export async function nearestComponents(lon: number, lat: number, category: string) {
  const a = await api.get<{ items: NearComponent[] }>('/api/v1/components/nearest', {
    query: { lon, lat, category, n: 5 },
  })
  return a.items
}

export async function places(q: string) {
  const a = await api.get<{ items: Place[] }>('/api/v1/geo/places', { query: { q, limit: 8 } })
  return a.items
}

export function resolveAddress(address: string) {
  return api.get<Resolved>('/api/v1/geo/resolve', { query: { address } })
}

export function locate(lon: number, lat: number) {
  return api.get<Located>('/api/v1/regions/locate', { query: { lon, lat } })
}

export function region(code: string) {
  return api.get<RegionInfo>(`/api/v1/regions/${encodeURIComponent(code)}`)
}

export function fileCase(body: Record<string, unknown>, key: string) {
  return api.post<Filed>('/api/v1/cases', body, { headers: { 'Idempotency-Key': key } })
}
