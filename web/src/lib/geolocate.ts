// One GPS fix, as a promise. Browsers allow it only on secure pages (https or loopback) and
// after the user agrees; the page then offers the map and the address instead.
export interface Fix {
  lon: number
  lat: number
  accuracy: number
}

// The report's place as the form holds it, with where it came from.
export interface Point {
  lon: number
  lat: number
  source: 'gps' | 'map' | 'address'
  accuracy?: number
  label?: string
}

export type FixProblem = 'unsupported' | 'denied' | 'unavailable' | 'timeout'

export function fixProblem(code: number): FixProblem {
  // GeolocationPositionError: 1 PERMISSION_DENIED, 2 POSITION_UNAVAILABLE, 3 TIMEOUT.
  return code === 1 ? 'denied' : code === 3 ? 'timeout' : 'unavailable'
}

export function locate(timeoutMs = 20000): Promise<Fix> {
  return new Promise((resolve, reject) => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      reject('unsupported' satisfies FixProblem)
      return
    }
    navigator.geolocation.getCurrentPosition(
      ({ coords: c }) => resolve({ lon: c.longitude, lat: c.latitude, accuracy: c.accuracy }),
      (e) => reject(fixProblem(e.code)),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 30000 },
    )
  })
}

// Accuracy as a person reads it: whole metres, kilometres above 1000.
export function accuracyText(metres: number): string {
  if (metres >= 1000) return `±${(metres / 1000).toFixed(1)} km`
  return `±${Math.max(1, Math.round(metres))} m`
}
