import { describe, expect, it } from 'vitest'
import {
  apiQuery,
  emptyFilters,
  filtersFromQuery,
  filtersToQuery,
  ignoredFilters,
} from './caseFilters'

describe('filtersFromQuery', () => {
  it('reads every filter from the URL', () => {
    const f = filtersFromQuery({
      state: 'dispatched,in_progress',
      category: '06015',
      channel: 'hotline',
      street: '130304003',
      light: 'red',
      department: 'city_mgmt',
      from: '2026-12-01',
      to: '2026-12-05',
      escalated: '1',
      suspended: '1',
      sort: 'due',
    })
    expect(f).toEqual({
      state: ['dispatched', 'in_progress'],
      category: '06015',
      channel: 'hotline',
      street: '130304003',
      light: 'red',
      department: 'city_mgmt',
      from: '2026-12-01',
      to: '2026-12-05',
      escalated: true,
      suspended: true,
      sort: 'due',
    })
  })

  it('drops values that cannot be right', () => {
    const f = filtersFromQuery({
      state: 'closed,closed,<script>',
      light: 'blue',
      from: '5 Dec',
      sort: 'oldest',
      escalated: 'yes',
    })
    expect(f.state).toEqual(['closed'])
    expect(f.light).toBe('')
    expect(f.from).toBe('')
    expect(f.sort).toBe('newest')
    expect(f.escalated).toBe(false)
  })

  it('takes the first of repeated parameters', () => {
    expect(filtersFromQuery({ channel: ['web', 'hotline'] }).channel).toBe('web')
  })
})

describe('filtersToQuery', () => {
  it('writes nothing for the defaults', () => {
    expect(filtersToQuery(emptyFilters())).toEqual({})
  })

  it('round-trips through the URL', () => {
    const q = {
      state: 'reported',
      light: 'yellow',
      from: '2026-11-01',
      to: '2026-11-30',
      suspended: '1',
      sort: 'due',
    }
    expect(filtersToQuery(filtersFromQuery(q))).toEqual(q)
  })
})

describe('apiQuery', () => {
  it('speaks the server parameters', () => {
    const f = { ...emptyFilters(), state: ['dispatched', 'in_progress'], sort: 'due' as const }
    f.to = '2026-12-31'
    f.escalated = true
    expect(apiQuery(f, 'abc', 20)).toEqual({
      limit: 20,
      state: 'dispatched,in_progress',
      to: '2027-01-01',
      escalated: 'true',
      sort: 'due_at',
      cursor: 'abc',
    })
  })

  it('asks for newest first by default', () => {
    expect(apiQuery(emptyFilters())).toEqual({ limit: 50 })
  })
})

describe('ignoredFilters', () => {
  it('names the filters whose values could not be used', () => {
    expect(
      ignoredFilters({ from: 'garbage', to: '2026-12-01', light: 'purple', sort: 'evil' }),
    ).toEqual(['from', 'light', 'sort'])
  })
  it('accepts good values and written-out defaults', () => {
    const good = { state: 'registered,dispatched', sort: 'newest', light: 'red' }
    expect(ignoredFilters(good)).toEqual([])
  })
  it('names a state list with an impossible member', () => {
    expect(ignoredFilters({ state: 'registered,DROP TABLE' })).toEqual(['state'])
  })
})
