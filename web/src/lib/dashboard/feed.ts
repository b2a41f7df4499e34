// The live feed beside the map: newest first, the last `max` events.
import type { CaseEvent } from './markers'

export const kFeedSize = 50

export function prependFeed(feed: CaseEvent[], event: CaseEvent, max = kFeedSize): CaseEvent[] {
  return [event, ...feed].slice(0, max)
}

// "HH:MM:SS" of an RFC 3339 time as written (the server writes China time).
// The time as the server wrote it (the district's local time); an event of a day other than
// `today` (YYYY-MM-DD) shows its month and day too, so yesterday's never looks like a time to come.
export function clockOf(at: string, today?: string): string {
  const match = /^\d{4}-(\d{2})-(\d{2})T(\d{2}:\d{2}:\d{2})/.exec(at)
  if (!match) return ''
  const sameDay = !today || at.startsWith(today)
  return sameDay ? match[3]! : `${match[1]}-${match[2]} ${match[3]!.slice(0, 5)}`
}
