import { describe, expect, it } from 'vitest'
import { clockOf, prependFeed } from './feed'
import type { CaseEvent } from './markers'

function event(id: number): CaseEvent {
  return {
    id,
    number: `N${id}`,
    type: 'report',
    state: 'reported',
    light: null,
    lon: 119.48,
    lat: 39.83,
    category: '06015',
    category_name: '',
    at: '2026-12-05T09:07:03+08:00',
  }
}

describe('live feed', () => {
  it('keeps the newest 50, newest first', () => {
    let feed: CaseEvent[] = []
    for (let id = 1; id <= 60; id++) feed = prependFeed(feed, event(id))
    expect(feed).toHaveLength(50)
    expect(feed[0]!.id).toBe(60)
    expect(feed[49]!.id).toBe(11)
  })

  it('shows the clock time as the server wrote it', () => {
    expect(clockOf('2026-12-05T09:07:03+08:00')).toBe('09:07:03')
    expect(clockOf('2026-12-05T23:59:59.120+08:00')).toBe('23:59:59')
    expect(clockOf('garbage')).toBe('')
  })

  it('adds the date to an event of another day', () => {
    expect(clockOf('2026-12-05T09:07:03+08:00', '2026-12-05')).toBe('09:07:03')
    expect(clockOf('2026-12-04T14:31:00+08:00', '2026-12-05')).toBe('12-04 14:31')
  })
})
