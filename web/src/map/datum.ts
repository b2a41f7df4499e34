// WGS84 <-> GCJ-02, for drawing the district's WGS84 data over AMap tiles. GCJ-02 is WGS84
// shifted by the published offset polynomials on the Krasovsky ellipsoid; the inverse has no
// closed form and is found by fixed-point steps, as the server does in src/geo/datum.cc.
export type LonLat = [number, number]
export type Datum = 'wgs84' | 'gcj02'

const kA = 6378245.0
const kE2 = 0.00669342162296594323
const kTolerance = 1e-9

function outsideChina([lon, lat]: LonLat): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271
}

function ripple(x: number): number {
  return ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
}

function offsetLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  r += ripple(x)
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3
  return r
}

function offsetLon(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  r += ripple(x)
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3
  return r
}

export function wgs84ToGcj02(p: LonLat): LonLat {
  if (outsideChina(p)) return p
  const [lon, lat] = p
  const x = lon - 105
  const y = lat - 35
  const s = Math.sin((lat / 180) * Math.PI)
  const w2 = 1 - kE2 * s * s
  const w = Math.sqrt(w2)
  const meridian = (kA * (1 - kE2)) / (w2 * w)
  const parallel = (kA / w) * Math.cos((lat / 180) * Math.PI)
  return [
    lon + (offsetLon(x, y) * 180) / (parallel * Math.PI),
    lat + (offsetLat(x, y) * 180) / (meridian * Math.PI),
  ]
}

export function gcj02ToWgs84(target: LonLat): LonLat {
  let q: LonLat = [target[0], target[1]]
  for (let step = 0; step < 30; step++) {
    const image = wgs84ToGcj02(q)
    const dlon = target[0] - image[0]
    const dlat = target[1] - image[1]
    q = [q[0] + dlon, q[1] + dlat]
    if (Math.abs(dlon) <= kTolerance && Math.abs(dlat) <= kTolerance) break
  }
  return q
}

// From WGS84 (the server's datum) to the datum the base map draws in.
export function toMapDatum(p: LonLat, datum: Datum): LonLat {
  return datum === 'gcj02' ? wgs84ToGcj02(p) : p
}

// From a point on the map (a click) back to WGS84 for the server.
export function fromMapDatum(p: LonLat, datum: Datum): LonLat {
  return datum === 'gcj02' ? gcj02ToWgs84(p) : p
}
