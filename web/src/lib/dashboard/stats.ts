// GET /api/v1/stats/dashboard and how its numbers are shown on the counters.
export interface NamedCount {
  code: string
  name: string
  count: number
}

export interface DashboardStats {
  generated_at: string
  date: string
  today_intake: number
  open: number
  overdue: number
  on_time_rate: number | null
  intake_by_hour: number[]
  by_class: NamedCount[]
  overdue_by_department: NamedCount[]
  open_by_light: { green: number; yellow: number; red: number }
}

export const kNoValue = '—'

export function formatCount(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(Math.round(value)) : kNoValue
}

// 0.875 → "87.5%", 1 → "100%", 0.3333 → "33.3%"; null (nothing completed yet) → "—".
export function formatRate(rate: number | null | undefined): string {
  if (typeof rate !== 'number' || !Number.isFinite(rate)) return kNoValue
  const tenths = Math.round(Math.min(1, Math.max(0, rate)) * 1000)
  const whole = Math.floor(tenths / 10)
  const rest = tenths % 10
  return rest === 0 ? `${whole}%` : `${whole}.${rest}%`
}

// The local date a year before `date` (YYYY-MM-DD), for a 366-day window ending on `date`.
export function yearBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  const t = new Date(Date.UTC(y!, m! - 1, d!))
  t.setUTCDate(t.getUTCDate() - 365)
  return t.toISOString().slice(0, 10)
}

// Today's local date in China, for when the server's stats are not yet known.
export function chinaDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600 * 1000).toISOString().slice(0, 10)
}
