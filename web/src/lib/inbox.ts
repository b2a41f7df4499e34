// The department inbox: which cases it lists and which quick actions a row offers. The row's
// actions follow the state; the server checks role, scope and state again on each.
export const kInboxStates = ['dispatched', 'in_progress']

export function inboxQuery(department: string, cursor?: string | null) {
  const q: Record<string, string | number> = {
    department,
    state: kInboxStates.join(','),
    sort: 'due_at',
    limit: 100,
  }
  if (cursor) q.cursor = cursor
  return q
}

export function quickActions(state: string): string[] {
  if (state === 'dispatched') return ['sign', 'return']
  if (state === 'in_progress') return ['report_handling']
  return []
}

export interface LightCounts {
  red: number
  yellow: number
  green: number
}

export function countLights(rows: { light: string }[]): LightCounts {
  const counts: LightCounts = { red: 0, yellow: 0, green: 0 }
  for (const r of rows) {
    if (r.light === 'red' || r.light === 'yellow' || r.light === 'green') counts[r.light]++
  }
  return counts
}
