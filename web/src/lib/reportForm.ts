// The report form: what must be filled before a report is kept, and the multipart body of
// POST /api/v1/reports. The server checks all of it again; these checks only spare a citizen
// a refused report sitting in the outbox.
import type { OutboxItem, ReportFields } from './outbox'

export interface Draft {
  category: string
  categoryName: string
  description: string
  lon: number | null
  lat: number | null
  address: string
  phone: string
}

export type DraftField = 'category' | 'description' | 'location' | 'phone'
export type DraftProblem = 'required' | 'tooLong' | 'phone'

// The server's limit is in UTF-8 bytes.
export const kMaxDescriptionBytes = 4000

export function emptyDraft(): Draft {
  return {
    category: '',
    categoryName: '',
    description: '',
    lon: null,
    lat: null,
    address: '',
    phone: '',
  }
}

export function checkDraft(d: Draft): Partial<Record<DraftField, DraftProblem>> {
  const out: Partial<Record<DraftField, DraftProblem>> = {}
  if (!d.category) out.category = 'required'
  if (!d.description.trim()) out.description = 'required'
  else if (new TextEncoder().encode(d.description).length > kMaxDescriptionBytes) {
    out.description = 'tooLong'
  }
  if (d.lon === null || d.lat === null) out.location = 'required'
  const phone = d.phone.trim()
  if (phone && !/^\+?[0-9][0-9 -]{5,30}$/.test(phone)) out.phone = 'phone'
  return out
}

// Only for a draft checkDraft passed.
export function fieldsOf(d: Draft): ReportFields {
  const fields: ReportFields = {
    category: d.category,
    categoryName: d.categoryName,
    description: d.description.trim(),
    lon: d.lon!,
    lat: d.lat!,
    datum: 'wgs84',
  }
  if (d.address.trim()) fields.address = d.address.trim()
  if (d.phone.trim()) fields.phone = d.phone.trim()
  return fields
}

// Back into the form, to correct a report the server refused.
export function draftOf(f: ReportFields): Draft {
  return {
    category: f.category,
    categoryName: f.categoryName,
    description: f.description,
    lon: f.lon,
    lat: f.lat,
    address: f.address ?? '',
    phone: f.phone ?? '',
  }
}

export function reportBody(item: OutboxItem): FormData {
  const f = item.fields
  const body = new FormData()
  body.append('category', f.category)
  body.append('description', f.description)
  // Seven decimals are about a centimetre; more only repeats the GPS noise.
  body.append('lon', f.lon.toFixed(7))
  body.append('lat', f.lat.toFixed(7))
  body.append('datum', f.datum)
  if (f.address) body.append('address', f.address)
  if (f.phone) body.append('phone', f.phone)
  for (const p of item.photos) body.append('photo', p.blob, p.name)
  return body
}
