// What the server tells every page about the district and the base map
// (GET /api/v1/client-config). Fetched once per page load.
import { api } from '@/api/client'
import type { Datum, LonLat } from './datum'

export interface ClientConfig {
  district: { code: string; name: string; center: LonLat; bounds: [number, number, number, number] }
  map: {
    // An XYZ raster template ({z}/{x}/{y}, optional {s}); null draws on a plain background.
    tile_url: string | null
    tile_datum: Datum
    attribution: string
    max_zoom: number
    subdomains: string[]
  }
}

// Beidaihe, for a server too old to say.
const kFallback: ClientConfig = {
  district: {
    code: '130304',
    name: '北戴河区',
    center: [119.48, 39.83],
    bounds: [119.36, 39.76, 119.56, 39.9],
  },
  map: { tile_url: null, tile_datum: 'wgs84', attribution: '', max_zoom: 18, subdomains: [] },
}

let pending: Promise<ClientConfig> | null = null

export function clientConfig(): Promise<ClientConfig> {
  pending ??= api
    .get<ClientConfig>('/api/v1/client-config', { anonymous: true })
    .catch(() => kFallback)
  return pending
}
