// The live feed beside the map: newest first, the last `max` events.
import type { CaseEvent } from './markers'

export const kFeedSize = 50

export function prependFeed(feed: CaseEvent[], event: CaseEvent, max = kFeedSize): CaseEvent[] {
  return [event, ...feed].slice(0, max)
}

// "HH:MM:SS" of an RFC 3339 time as written (the server writes China time).
export function clockOf(at: string): string {
  const match = /T(\d{2}:\d{2}:\d{2})/.exec(at)
  return match ? match[1]! : ''
}
