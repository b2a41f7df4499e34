// The hotline intake form: what it must hold before it is saved, the report it sends, and
// the questions it asks the server meanwhile (possible duplicates, nearby components).
import { newIdempotencyKey as uuid } from './idempotencyKey'

export type LonLat = [number, number]

export interface PickedCategory {
  ref: string
  code: string
  kind: string
  name: string
}

export interface IntakeDraft {
  category: PickedCategory | null
  // WGS84, from a click on the map or a resolved address.
  location: LonLat | null
  address: string
  description: string
  name: string
  phone: string
  urgency: 'normal' | 'urgent'
  component: string
}

export type IntakeField = 'category' | 'location' | 'description' | 'phone' | 'name' | 'address'
// Message keys under intake.validation, by field.
export type IntakeErrors = Partial<Record<IntakeField, string>>

export function emptyIntake(): IntakeDraft {
  return {
    category: null,
    location: null,
    address: '',
    description: '',
    name: '',
    phone: '',
    urgency: 'normal',
    component: '',
  }
}

// A key per call taken: a second click, or a retry after a lost answer, files nothing new.
export function newIdempotencyKey(random: () => string = () => uuid()): string {
  return `intake-${random()}`
}

const kPhone = /^[0-9+\- ]{3,32}$/

// Control characters other than tab and line breaks, which the server refuses in any text.
// eslint-disable-next-line no-control-regex
const kControl = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

export function validateIntake(d: IntakeDraft): IntakeErrors {
  const errors: IntakeErrors = {}
  if (!d.category) errors.category = 'category'
  if (!d.location) errors.location = 'location'
  if (!d.description.trim()) errors.description = 'description'
  else if (kControl.test(d.description)) errors.description = 'control'
  const phone = d.phone.trim()
  if (phone && !kPhone.test(phone)) errors.phone = 'phone'
  if (d.name.length > 100) errors.name = 'tooLong'
  if (d.address.length > 500) errors.address = 'tooLong'
  return errors
}

// The body of POST /api/v1/cases for a hotline call.
export function intakeBody(d: IntakeDraft) {
  if (!d.category || !d.location) throw new Error('incomplete intake')
  const body: Record<string, unknown> = {
    category: d.category.ref,
    description: d.description.trim(),
    location: { lon: d.location[0], lat: d.location[1], datum: 'wgs84' },
    channel: 'hotline',
    urgency: d.urgency,
  }
  if (d.address.trim()) body.address = d.address.trim()
  const name = d.name.trim()
  const phone = d.phone.trim()
  if (name || phone) body.reporter = { name, phone }
  if (d.component) body.component = d.component
  return body
}

// GET /api/v1/cases/similar parameters, or null while the form lacks what they need.
export function similarQuery(d: IntakeDraft): Record<string, string | number> | null {
  if (!d.category || !d.location) return null
  const q: Record<string, string | number> = {
    lon: round(d.location[0]),
    lat: round(d.location[1]),
    category: d.category.ref,
  }
  if (d.description.trim()) q.description = d.description.trim()
  return q
}

// Seven decimals (about a centimetre): enough, and stable as a cache key.
function round(x: number): number {
  return Math.round(x * 1e7) / 1e7
}

// The field where a server problem about the report belongs.
export function intakeFieldOf(field: string | undefined): IntakeField | undefined {
  if (!field) return undefined
  if (field.startsWith('location')) return 'location'
  if (field === 'reporter.phone') return 'phone'
  if (field === 'reporter.name') return 'name'
  if (field === 'component') return 'category'
  return (['category', 'description', 'address'] as const).find((f) => f === field)
}
