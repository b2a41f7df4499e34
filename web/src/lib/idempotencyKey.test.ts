import { describe, expect, it } from 'vitest'
import { newIdempotencyKey } from './idempotencyKey'

const kUuid4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('newIdempotencyKey', () => {
  it('makes a version-4 UUID without randomUUID', () => {
    const plain = {
      getRandomValues: <T extends ArrayBufferView | null>(a: T) => {
        ;(a as unknown as Uint8Array).fill(0xff)
        return a
      },
    } as unknown as Crypto
    expect(newIdempotencyKey(plain)).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff')
  })
  it('makes different keys', () => {
    const a = newIdempotencyKey()
    expect(a).toMatch(kUuid4)
    expect(newIdempotencyKey()).not.toBe(a)
  })
})
