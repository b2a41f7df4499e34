import { describe, expect, it } from 'vitest'
import {
  emptyIntake,
  intakeBody,
  intakeFieldOf,
  newIdempotencyKey,
  similarQuery,
  validateIntake,
  type IntakeDraft,
} from './intake'

const beach: IntakeDraft = {
  ...emptyIntake(),
  category: { ref: '06015', code: '06015', kind: 'matter', name: '沙（河）滩不洁' },
  location: [119.4912, 39.8125],
  description: ' 老虎石浴场沙滩垃圾较多 ',
  name: '张三',
  phone: '13812345678',
}

describe('validateIntake', () => {
  it('wants a category, a place and a description', () => {
    expect(validateIntake(emptyIntake())).toEqual({
      category: 'category',
      location: 'location',
      description: 'description',
    })
    expect(validateIntake({ ...beach, description: '   ' })).toEqual({
      description: 'description',
    })
    expect(validateIntake(beach)).toEqual({})
  })

  it('accepts phone numbers of digits, plus, dashes and spaces only', () => {
    expect(validateIntake({ ...beach, phone: '0335-4041234' })).toEqual({})
    expect(validateIntake({ ...beach, phone: '+86 138 1234 5678' })).toEqual({})
    expect(validateIntake({ ...beach, phone: '138abc' })).toEqual({ phone: 'phone' })
    expect(validateIntake({ ...beach, phone: '' })).toEqual({})
  })

  it('refuses control characters in the description but keeps line breaks and tabs', () => {
    expect(validateIntake({ ...beach, description: '垃圾\u0007较多' })).toEqual({
      description: 'control',
    })
    expect(validateIntake({ ...beach, description: '垃圾\u007f' })).toEqual({
      description: 'control',
    })
    expect(validateIntake({ ...beach, description: '第一行\n第二行\t备注' })).toEqual({})
  })
})

describe('intakeBody', () => {
  it('files a hotline report in WGS84', () => {
    expect(intakeBody(beach)).toEqual({
      category: '06015',
      description: '老虎石浴场沙滩垃圾较多',
      location: { lon: 119.4912, lat: 39.8125, datum: 'wgs84' },
      channel: 'hotline',
      urgency: 'normal',
      reporter: { name: '张三', phone: '13812345678' },
    })
  })

  it('sends the component and the category reference of a component report', () => {
    const d: IntakeDraft = {
      ...beach,
      category: { ref: '03005', code: '03005', kind: 'component', name: '垃圾箱' },
      component: '130304-03005-0001',
      name: '',
      phone: '',
      address: '海宁路12号',
    }
    const body = intakeBody(d)
    expect(body.category).toBe('03005')
    expect(body.component).toBe('130304-03005-0001')
    expect(body.address).toBe('海宁路12号')
    expect(body.reporter).toBeUndefined()
  })
})

describe('similarQuery', () => {
  it('waits for a category and a place', () => {
    expect(similarQuery(emptyIntake())).toBeNull()
    expect(similarQuery({ ...beach, category: null })).toBeNull()
  })
  it('asks near the point for the category', () => {
    const q = similarQuery({ ...beach, location: [119.491234567891, 39.81251234567] })
    expect(q).toEqual({
      lon: 119.4912346,
      lat: 39.8125123,
      category: '06015',
      description: '老虎石浴场沙滩垃圾较多',
    })
  })
})

describe('newIdempotencyKey', () => {
  it('is new for every call', () => {
    let n = 0
    const random = () => `r${++n}`
    expect(newIdempotencyKey(random)).toBe('intake-r1')
    expect(newIdempotencyKey(random)).not.toBe(newIdempotencyKey(random))
  })
})

describe('intakeFieldOf', () => {
  it('maps server fields to the form', () => {
    expect(intakeFieldOf('location.lon')).toBe('location')
    expect(intakeFieldOf('reporter.phone')).toBe('phone')
    expect(intakeFieldOf('category')).toBe('category')
    expect(intakeFieldOf('channel')).toBeUndefined()
  })
})
