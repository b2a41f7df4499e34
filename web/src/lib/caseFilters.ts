// The workbench's filters, kept in the page's URL so that a filtered list can be reloaded,
// bookmarked and shared; and turned into GET /api/v1/cases parameters.
import { nextDay } from './time'

export type SortOrder = 'newest' | 'due'

export interface CaseFilters {
  state: string[]
  category: string
  channel: string
  street: string
  light: string
  department: string
  // Reported from and to, inclusive local dates (YYYY-MM-DD).
  from: string
  to: string
  escalated: boolean
  suspended: boolean
  sort: SortOrder
}

type QueryValue = string | null | (string | null)[] | undefined
export type RouteQuery = Record<string, QueryValue>

const kDate = /^\d{4}-\d{2}-\d{2}$/
const kLights = ['green', 'yellow', 'red']

export function emptyFilters(): CaseFilters {
  return {
    state: [],
    category: '',
    channel: '',
    street: '',
    light: '',
    department: '',
    from: '',
    to: '',
    escalated: false,
    suspended: false,
    sort: 'newest',
  }
}

function first(value: QueryValue): string {
  const v = Array.isArray(value) ? value[0] : value
  return typeof v === 'string' ? v.trim() : ''
}

// Filters from the URL; values that cannot be right are dropped rather than sent.
export function filtersFromQuery(query: RouteQuery): CaseFilters {
  const f = emptyFilters()
  const states = first(query.state)
  f.state = states ? [...new Set(states.split(',').filter((s) => /^[a-z_]+$/.test(s)))] : []
  f.category = first(query.category)
  f.channel = first(query.channel)
  f.street = first(query.street)
  f.department = first(query.department)
  const light = first(query.light)
  f.light = kLights.includes(light) ? light : ''
  const from = first(query.from)
  const to = first(query.to)
  f.from = kDate.test(from) ? from : ''
  f.to = kDate.test(to) ? to : ''
  f.escalated = first(query.escalated) === '1'
  f.suspended = first(query.suspended) === '1'
  f.sort = first(query.sort) === 'due' ? 'due' : 'newest'
  return f
}

// The URL query for filters: only what differs from the defaults.
export function filtersToQuery(f: CaseFilters): Record<string, string> {
  const q: Record<string, string> = {}
  if (f.state.length) q.state = f.state.join(',')
  for (const key of ['category', 'channel', 'street', 'light', 'department'] as const) {
    if (f[key]) q[key] = f[key]
  }
  if (f.from) q.from = f.from
  if (f.to) q.to = f.to
  if (f.escalated) q.escalated = '1'
  if (f.suspended) q.suspended = '1'
  if (f.sort === 'due') q.sort = 'due'
  return q
}

// The URL's filter names whose values were dropped as impossible, so the page can say that the
// list is wider than the address asked for. Defaults written out (sort=newest) are not faults.
export function ignoredFilters(query: RouteQuery): string[] {
  const kept = filtersToQuery(filtersFromQuery(query))
  const defaults: Record<string, string> = { sort: 'newest', escalated: '0', suspended: '0' }
  return Object.keys(query).filter((name) => {
    const sent = first(query[name])
    if (!sent || sent === defaults[name]) return false
    return kept[name] !== sent
  })
}

// GET /api/v1/cases parameters for one page of the list.
export function apiQuery(
  f: CaseFilters,
  cursor?: string | null,
  limit = 50,
): Record<string, string | number> {
  const q: Record<string, string | number> = { limit }
  if (f.state.length) q.state = f.state.join(',')
  for (const key of ['category', 'channel', 'street', 'light', 'department'] as const) {
    if (f[key]) q[key] = f[key]
  }
  if (f.from) q.from = f.from
  // The server's `to` is the first instant not included; the form's date is the last day.
  if (f.to) q.to = nextDay(f.to)
  if (f.escalated) q.escalated = 'true'
  if (f.suspended) q.suspended = 'true'
  if (f.sort === 'due') q.sort = 'due_at'
  if (cursor) q.cursor = cursor
  return q
}
