// The workflow actions' forms: which fields each action asks for, which are required, and
// the JSON body it sends. The server checks everything again; checking here spares a round
// trip and puts the message beside the field before anything is sent.
import { checkCaseNumber, normalizeCaseNumber } from './caseNumber'
import { districtTime, instant } from './time'

export type ActionField =
  | 'department'
  | 'co_departments'
  | 'reason'
  | 'note'
  | 'photos'
  | 'result'
  | 'until'
  | 'target'
  | 'satisfaction'

export interface ActionDraft {
  department: string
  co_departments: string[]
  reason: string
  note: string
  photos: string[]
  result: '' | 'pass' | 'fail'
  // A wall time in the district, as the date picker gives it ('2026-12-08T17:30:00').
  until: string
  target: string
  satisfaction: string
}

// Message keys (under cases.validation) by field.
export type FieldErrors = Partial<Record<ActionField, string>>

interface Spec {
  fields: ActionField[]
  required: ActionField[]
}

const kReason: Spec = { fields: ['reason'], required: ['reason'] }
const kOptionalNote: Spec = { fields: ['note'], required: [] }

const kSpecs: Record<string, Spec> = {
  register: kOptionalNote,
  reject: kReason,
  merge: { fields: ['target', 'note'], required: ['target'] },
  dispatch: { fields: ['department', 'co_departments', 'note'], required: ['department'] },
  sign: kOptionalNote,
  return: kReason,
  report_handling: { fields: ['note', 'photos'], required: ['note'] },
  verify: { fields: ['result', 'note'], required: ['result'] },
  request_extension: { fields: ['until', 'reason'], required: ['until', 'reason'] },
  approve_extension: kOptionalNote,
  deny_extension: kOptionalNote,
  suspend: kReason,
  resume: kOptionalNote,
  urge: kOptionalNote,
  supervise: kOptionalNote,
  cancel: kReason,
  comment: { fields: ['note'], required: ['note'] },
  self_handle: { fields: ['note', 'photos'], required: ['note', 'photos'] },
  callback: { fields: ['satisfaction', 'note'], required: ['satisfaction'] },
}

export function emptyDraft(): ActionDraft {
  return {
    department: '',
    co_departments: [],
    reason: '',
    note: '',
    photos: [],
    result: '',
    until: '',
    target: '',
    satisfaction: '',
  }
}

export function fieldsOf(action: string): ActionField[] {
  return (kSpecs[action] ?? kOptionalNote).fields
}

export function isRequired(action: string, field: ActionField): boolean {
  return (kSpecs[action] ?? kOptionalNote).required.includes(field)
}

function blank(text: string): boolean {
  return text.trim() === ''
}

export interface CaseContext {
  number: string
  // The running step's due time (RFC 3339), which an extension must pass.
  due_at: string
}

// Problems with a draft, each as a message key beside its field; empty when it may be sent.
export function validate(
  action: string,
  draft: ActionDraft,
  c: CaseContext,
  now: number = Date.now(),
): FieldErrors {
  const errors: FieldErrors = {}
  const spec = kSpecs[action] ?? kOptionalNote
  for (const field of spec.required) {
    const value = draft[field]
    const missing = Array.isArray(value) ? value.length === 0 : blank(value)
    if (missing) errors[field] = 'required'
  }
  if (spec.fields.includes('target') && !errors.target) {
    const target = normalizeCaseNumber(draft.target)
    if (checkCaseNumber(target)) errors.target = 'caseNumber'
    else if (target === c.number) errors.target = 'sameCase'
  }
  if (spec.fields.includes('until') && !errors.until) {
    const until = instant(districtTime(draft.until))
    if (Number.isNaN(until)) errors.until = 'time'
    else if (until <= now) errors.until = 'future'
    else if (until <= instant(c.due_at)) errors.until = 'laterThanDue'
  }
  return errors
}

// The JSON body for POST /api/v1/cases/{number}/{action}: the fields the action asks for,
// the ones left empty omitted, and the version the page showed.
export function bodyOf(action: string, draft: ActionDraft, version: number) {
  const body: Record<string, unknown> = { version }
  for (const field of fieldsOf(action)) {
    const value = draft[field]
    if (Array.isArray(value)) {
      if (value.length) body[field] = value
    } else if (field === 'until') {
      if (value) body.until = districtTime(value)
    } else if (!blank(value)) {
      if (field === 'target') body.target = normalizeCaseNumber(value)
      else body[field] = field === 'department' ? value.trim() : value
    }
  }
  return body
}

// The form field where a server problem belongs; undefined puts it above the form.
export function fieldOfProblem(action: string, field: string | undefined): ActionField | undefined {
  if (!field) return undefined
  const name = field.replace(/\[\d+\]$/, '') as ActionField
  return fieldsOf(action).includes(name) ? name : undefined
}

export type Problem =
  | { kind: 'conflict'; code: string }
  | { kind: 'field'; field: ActionField; message: string }
  | { kind: 'form'; message: string }

// Where a refused action's problem goes: a case that moved on is reloaded; a fault in one
// field is shown beside it; anything else above the form.
export function placeProblem(
  action: string,
  status: number,
  code: string,
  message: string,
  field?: string,
): Problem {
  if (status === 409 && (code === 'stale_version' || code === 'invalid_state')) {
    return { kind: 'conflict', code }
  }
  const text = `${message} (${code})`
  const at = fieldOfProblem(action, field)
  return at ? { kind: 'field', field: at, message: text } : { kind: 'form', message: text }
}
