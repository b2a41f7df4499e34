import { describe, expect, it } from 'vitest'
import type { OutboxItem } from './outbox'
import { checkDraft, draftOf, emptyDraft, fieldsOf, reportBody } from './reportForm'

const kFull = {
  ...emptyDraft(),
  category: '06010',
  categoryName: '暴露垃圾',
  description: '  路边有垃圾  ',
  lon: 119.48461234567,
  lat: 39.8343,
}

describe('checkDraft', () => {
  it('asks for category, description and location', () => {
    expect(checkDraft(emptyDraft())).toEqual({
      category: 'required',
      description: 'required',
      location: 'required',
    })
    expect(checkDraft({ ...kFull, description: ' \n ' })).toEqual({ description: 'required' })
    expect(checkDraft(kFull)).toEqual({})
  })

  it('counts the description in UTF-8 bytes as the server does', () => {
    expect(checkDraft({ ...kFull, description: '垃'.repeat(1333) })).toEqual({})
    expect(checkDraft({ ...kFull, description: '垃'.repeat(1334) })).toEqual({
      description: 'tooLong',
    })
  })

  it('accepts mobile and landline numbers only', () => {
    for (const phone of ['13812345678', '0335-4041234', '+86 138 1234 5678']) {
      expect(checkDraft({ ...kFull, phone })).toEqual({})
    }
    for (const phone of ['abc', '12', '138-1234-abcd']) {
      expect(checkDraft({ ...kFull, phone })).toEqual({ phone: 'phone' })
    }
  })
})

describe('reportBody', () => {
  it('is the multipart form of POST /api/v1/reports', async () => {
    const fields = fieldsOf({ ...kFull, phone: ' 13812345678 ', address: '' })
    const item: OutboxItem = {
      key: 'k',
      createdAt: 0,
      fields,
      photos: [{ name: 'p1.jpg', blob: new Blob(['abc'], { type: 'image/jpeg' }) }],
      username: null,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
    }
    const body = reportBody(item)
    expect(body.get('category')).toBe('06010')
    expect(body.get('description')).toBe('路边有垃圾')
    expect(body.get('lon')).toBe('119.4846123')
    expect(body.get('lat')).toBe('39.8343000')
    expect(body.get('datum')).toBe('wgs84')
    expect(body.get('phone')).toBe('13812345678')
    expect(body.has('address')).toBe(false)
    const photo = body.getAll('photo')
    expect(photo).toHaveLength(1)
    expect((photo[0] as File).name).toBe('p1.jpg')
    expect(await (photo[0] as File).text()).toBe('abc')
  })

  it('round-trips through the form for editing', () => {
    const fields = fieldsOf({ ...kFull, address: '海宁路12号' })
    expect(fieldsOf(draftOf(fields))).toEqual(fields)
  })
})
