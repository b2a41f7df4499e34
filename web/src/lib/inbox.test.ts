import { describe, expect, it } from 'vitest'
import { countLights, inboxQuery, quickActions } from './inbox'

describe('inbox', () => {
  it('lists the dispatched and running cases of the department by due time', () => {
    expect(inboxQuery('city_mgmt')).toEqual({
      department: 'city_mgmt',
      state: 'dispatched,in_progress',
      sort: 'due_at',
      limit: 100,
    })
    expect(inboxQuery('city_mgmt', 'c2').cursor).toBe('c2')
  })

  it('offers sign and return before signing, the handling report after', () => {
    expect(quickActions('dispatched')).toEqual(['sign', 'return'])
    expect(quickActions('in_progress')).toEqual(['report_handling'])
    expect(quickActions('handled')).toEqual([])
  })

  it('counts the lights', () => {
    const rows = ['red', 'red', 'yellow', 'green', 'suspended', 'none'].map((light) => ({ light }))
    expect(countLights(rows)).toEqual({ red: 2, yellow: 1, green: 1 })
  })
})
