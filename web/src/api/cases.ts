// The case register's endpoints and the shapes the pages read from them.
import { api } from './client'

export interface Step {
  step: string
  started_at: string
  limit: string
  due_at: string
  finished_at: string | null
  on_time: boolean | null
  light: string
}

export interface CaseRecord {
  number: string
  state: string
  version: number
  category: string
  category_name: string
  urgency: string
  channel: string
  description: string
  address: string
  location: { lon: number; lat: number; datum: string }
  unit_grid: string
  community: string
  community_name: string
  street: string
  street_name: string
  governance_grid: string
  department: string
  department_name: string
  co_departments: string[]
  reporter: { name: string; phone: string; anonymous: boolean }
  photos: string[]
  handling_photos: string[]
  reported_at: string
  step: string
  due_at: string
  light: string
  suspended: boolean
  escalated: boolean
  supervised: boolean
  return_count: number
  rework_count: number
  merged_into: string
  extension_request: { until: string; reason: string; requested_by: string } | null
  steps: Step[]
  allowed_actions?: string[]
}

export interface CaseEvent {
  version: number | null
  action: string
  actor: string
  at: string
  from_state?: string | null
  to_state?: string
  note?: string
  attachments?: string[]
  step_due_at?: string | null
  on_time?: boolean | null
}

export interface Department {
  code: string
  name: string
  kind: string
  street: string
}

export interface Category {
  ref: string
  code: string
  kind: string
  class_code: string
  class_name: string
  name: string
  department: string
  keywords: string[]
}

export interface CasePage {
  items: CaseRecord[]
  next_cursor: string | null
}

export function listCases(query: Record<string, string | number>, signal?: AbortSignal) {
  return api.get<CasePage>('/api/v1/cases', { query, signal })
}

export function getCase(number: string) {
  return api.get<CaseRecord>(`/api/v1/cases/${encodeURIComponent(number)}`)
}

export async function getEvents(number: string): Promise<CaseEvent[]> {
  const answer = await api.get<{ items: CaseEvent[] }>(
    `/api/v1/cases/${encodeURIComponent(number)}/events`,
  )
  return answer.items
}

export function act(number: string, action: string, body: Record<string, unknown>) {
  return api.post<CaseRecord>(`/api/v1/cases/${encodeURIComponent(number)}/${action}`, body)
}

let departments: Promise<Department[]> | null = null

// The departments change with a reference import only; one fetch per page load.
export function listDepartments(): Promise<Department[]> {
  departments ??= api
    .get<{ items: Department[] }>('/api/v1/departments')
    .then((a) => a.items)
    .catch((e) => {
      departments = null
      throw e
    })
  return departments
}

export async function searchCategories(q: string, kind?: string): Promise<Category[]> {
  const answer = await api.get<{ items: Category[] }>('/api/v1/categories', {
    query: { q, kind, limit: 30 },
  })
  return answer.items
}

export interface PhotoRecord {
  name: string
  url: string
  thumbnail_url: string
}

export function uploadPhoto(file: File) {
  const form = new FormData()
  form.append('photo', file, file.name)
  return api.post<PhotoRecord>('/api/v1/photos', form)
}

export interface Street {
  code: string
  name: string
}

let streets: Promise<Street[]> | null = null

// The streets and towns, for the filters (their outlines come along; there are few).
export function listStreets(): Promise<Street[]> {
  streets ??= api
    .get<{ features: { properties: Street }[] }>('/api/v1/regions', { query: { layer: 'street' } })
    .then((fc) => fc.features.map((f) => ({ code: f.properties.code, name: f.properties.name })))
    .catch((e) => {
      streets = null
      throw e
    })
  return streets
}
