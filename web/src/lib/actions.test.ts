import { describe, expect, it } from 'vitest'
import {
  bodyOf,
  emptyDraft,
  fieldOfProblem,
  fieldsOf,
  isRequired,
  placeProblem,
  validate,
} from './actions'

const c = { number: '130304-20261205-000017', due_at: '2026-12-08T09:00:00+08:00' }
// 2026-12-05 10:00 in the district.
const now = Date.UTC(2026, 11, 5, 2, 0, 0)

describe('action forms', () => {
  it('asks each action for its own fields', () => {
    expect(fieldsOf('dispatch')).toEqual(['department', 'co_departments', 'note'])
    expect(fieldsOf('return')).toEqual(['reason'])
    expect(fieldsOf('report_handling')).toEqual(['note', 'photos'])
    expect(fieldsOf('verify')).toEqual(['result', 'note'])
    expect(fieldsOf('request_extension')).toEqual(['until', 'reason'])
    expect(fieldsOf('merge')).toEqual(['target', 'note'])
    expect(fieldsOf('urge')).toEqual(['note'])
    expect(fieldsOf('something_new')).toEqual(['note'])
  })

  it('requires a reason to return or reject', () => {
    for (const action of ['return', 'reject', 'cancel', 'suspend']) {
      expect(isRequired(action, 'reason')).toBe(true)
      expect(validate(action, { ...emptyDraft(), reason: '  ' }, c, now)).toEqual({
        reason: 'required',
      })
      expect(validate(action, { ...emptyDraft(), reason: '非本单位' }, c, now)).toEqual({})
    }
  })

  it('requires a note, not photos, to report handling', () => {
    expect(validate('report_handling', emptyDraft(), c, now)).toEqual({ note: 'required' })
    expect(validate('report_handling', { ...emptyDraft(), note: '已清理' }, c, now)).toEqual({})
  })

  it('requires photos and a note to handle on the spot', () => {
    expect(validate('self_handle', emptyDraft(), c, now)).toEqual({
      note: 'required',
      photos: 'required',
    })
  })

  it('requires pass or fail to verify', () => {
    expect(validate('verify', emptyDraft(), c, now)).toEqual({ result: 'required' })
    expect(validate('verify', { ...emptyDraft(), result: 'fail' }, c, now)).toEqual({})
  })

  it('checks the merge target is another case number', () => {
    const draft = (target: string) => ({ ...emptyDraft(), target })
    expect(validate('merge', draft(''), c, now)).toEqual({ target: 'required' })
    expect(validate('merge', draft('17'), c, now)).toEqual({ target: 'caseNumber' })
    expect(validate('merge', draft(c.number), c, now)).toEqual({ target: 'sameCase' })
    expect(validate('merge', draft('130304-20261204-000003'), c, now)).toEqual({})
    // Typed on a Chinese keyboard: full-width digits and dash are the same number.
    const wide = '１３０３０４－２０２６１２０４－０００００３'
    expect(validate('merge', draft(wide), c, now)).toEqual({})
    expect(bodyOf('merge', draft(wide), 3).target).toBe('130304-20261204-000003')
    expect(validate('merge', draft('130304-20261304-000003'), c, now)).toEqual({
      target: 'caseNumber',
    })
  })

  it('wants an extension later than now and than the due time', () => {
    const draft = (until: string) => ({ ...emptyDraft(), reason: '需采购材料', until })
    expect(validate('request_extension', draft(''), c, now)).toEqual({ until: 'required' })
    expect(validate('request_extension', draft('2026-12-05T09:00:00'), c, now)).toEqual({
      until: 'future',
    })
    expect(validate('request_extension', draft('2026-12-08T09:00:00'), c, now)).toEqual({
      until: 'laterThanDue',
    })
    expect(validate('request_extension', draft('2026-12-10T17:30:00'), c, now)).toEqual({})
  })
})

describe('bodyOf', () => {
  it('sends the version and only the fields given', () => {
    const draft = { ...emptyDraft(), department: 'city_mgmt', co_departments: ['water'] }
    expect(bodyOf('dispatch', draft, 3)).toEqual({
      version: 3,
      department: 'city_mgmt',
      co_departments: ['water'],
    })
    expect(bodyOf('sign', { ...emptyDraft(), reason: 'ignored' }, 4)).toEqual({ version: 4 })
  })

  it('sends the extension time in the district offset', () => {
    const draft = { ...emptyDraft(), until: '2026-12-10T17:30:00', reason: '需采购材料' }
    expect(bodyOf('request_extension', draft, 5)).toEqual({
      version: 5,
      until: '2026-12-10T17:30:00+08:00',
      reason: '需采购材料',
    })
  })

  it('sends photos with the handling note', () => {
    const draft = { ...emptyDraft(), note: 'done', photos: ['ab12.jpg'], result: 'pass' as const }
    expect(bodyOf('report_handling', draft, 6)).toEqual({
      version: 6,
      note: 'done',
      photos: ['ab12.jpg'],
    })
  })
})

describe('fieldOfProblem', () => {
  it('places a server problem beside its field', () => {
    expect(fieldOfProblem('dispatch', 'department')).toBe('department')
    expect(fieldOfProblem('report_handling', 'photos[1]')).toBe('photos')
    expect(fieldOfProblem('sign', 'version')).toBeUndefined()
    expect(fieldOfProblem('sign', undefined)).toBeUndefined()
  })
})

describe('placeProblem', () => {
  it('reloads on a stale version or a state that moved on', () => {
    expect(placeProblem('sign', 409, 'stale_version', 'x')).toEqual({
      kind: 'conflict',
      code: 'stale_version',
    })
    expect(placeProblem('sign', 409, 'invalid_state', 'x').kind).toBe('conflict')
  })

  it('puts a field fault beside the field and the rest above the form', () => {
    expect(placeProblem('dispatch', 400, 'unknown_department', 'no such', 'department')).toEqual({
      kind: 'field',
      field: 'department',
      message: 'no such (unknown_department)',
    })
    expect(placeProblem('sign', 403, 'out_of_scope', 'not yours')).toEqual({
      kind: 'form',
      message: 'not yours (out_of_scope)',
    })
    expect(placeProblem('sign', 409, 'idempotency_key_reused', 'y').kind).toBe('form')
  })
})
