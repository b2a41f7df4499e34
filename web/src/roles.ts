// Which pages each role has. The server decides what a user may do; the menus only spare
// users pages that would answer them 403.
import type { Role } from '@/session'

export type Page = 'dashboard' | 'cases' | 'intake' | 'inbox' | 'report' | 'lookup'

const kPages: Record<Role, Page[]> = {
  admin: ['dashboard', 'cases', 'lookup'],
  intake_clerk: ['intake', 'cases', 'dashboard', 'lookup'],
  shift_lead: ['dashboard', 'cases', 'intake', 'lookup'],
  dispatcher: ['dashboard', 'cases', 'intake', 'lookup'],
  department_handler: ['inbox', 'cases', 'dashboard', 'lookup'],
  inspector: ['cases', 'dashboard', 'report', 'lookup'],
  grid_worker: ['report', 'lookup'],
  supervisor: ['dashboard', 'cases', 'lookup'],
  viewer: ['dashboard', 'cases', 'lookup'],
}

export function pagesFor(role: Role): Page[] {
  return kPages[role] ?? ['lookup']
}

export function mayOpen(role: Role | undefined, page: Page): boolean {
  if (page === 'lookup' || page === 'report') return true
  return role !== undefined && pagesFor(role).includes(page)
}

// Where a user lands after signing in: the first page of the role's menu.
export function homeFor(role: Role): Page {
  return pagesFor(role)[0]
}
