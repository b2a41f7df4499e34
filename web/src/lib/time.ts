// Times as the district reads them. The server writes RFC 3339 with the district's offset
// (+08:00); showing the wall time it wrote keeps what a clerk sees independent of the browser's
// own time zone.
const kOffset = '+08:00'

const kRfc3339 = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/

// '2026-12-05T11:06:00+08:00' -> '2026-12-05 11:06'; anything else is shown as given.
export function wallTime(text: string | null | undefined): string {
  if (!text) return ''
  const m = kRfc3339.exec(text)
  return m ? `${m[1]} ${m[2]}:${m[3]}` : text
}

// The day after a YYYY-MM-DD date, for an inclusive "to" date sent as an exclusive bound.
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  const next = new Date(Date.UTC(y, m - 1, d + 1))
  return next.toISOString().slice(0, 10)
}

// A wall time picked in a form ('2026-12-08T17:30:00') as RFC 3339 in the district's offset.
export function districtTime(local: string): string {
  const seconds = /T\d{2}:\d{2}$/.test(local) ? `${local}:00` : local
  return `${seconds}${kOffset}`
}

// Milliseconds since the epoch of an RFC 3339 time, or NaN.
export function instant(text: string | null | undefined): number {
  return text ? Date.parse(text) : NaN
}
