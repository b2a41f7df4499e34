import { describe, expect, it } from 'vitest'
import { PhotoUrls, photoPath } from './photoUrls'

function fakeServer(status = 200) {
  const calls: { url: string; auth: string | undefined }[] = []
  const fetcher = async (url: string, init: RequestInit) => {
    calls.push({ url, auth: (init.headers as Record<string, string>).Authorization })
    return new Response(status === 200 ? new Blob(['jpeg']) : null, { status })
  }
  let made = 0
  const revoked: string[] = []
  const photos = new PhotoUrls(
    () => 'tok',
    fetcher,
    () => `blob:${++made}`,
    (u) => revoked.push(u),
  )
  return { photos, calls, revoked }
}

describe('PhotoUrls', () => {
  it('names the thumbnail and the full photo', () => {
    expect(photoPath('a b.jpg', 'thumbnail')).toBe('/api/v1/photos/a%20b.jpg/thumbnail')
    expect(photoPath('x.jpg', 'full')).toBe('/api/v1/photos/x.jpg')
  })

  it('fetches with the bearer token, once per photo and size', async () => {
    const { photos, calls } = fakeServer()
    const [a, b] = await Promise.all([photos.get('p1.jpg'), photos.get('p1.jpg')])
    expect(a).toBe('blob:1')
    expect(b).toBe('blob:1')
    expect(await photos.get('p1.jpg', 'full')).toBe('blob:2')
    expect(calls).toEqual([
      { url: '/api/v1/photos/p1.jpg/thumbnail', auth: 'Bearer tok' },
      { url: '/api/v1/photos/p1.jpg', auth: 'Bearer tok' },
    ])
  })

  it('tries again after a refusal', async () => {
    const { photos, calls } = fakeServer(404)
    await expect(photos.get('gone.jpg')).rejects.toThrow('404')
    await expect(photos.get('gone.jpg')).rejects.toThrow('404')
    expect(calls.length).toBe(2)
  })

  it('revokes every URL it made on release', async () => {
    const { photos, revoked } = fakeServer()
    await photos.get('a.jpg')
    await photos.get('b.jpg')
    photos.release()
    await new Promise((r) => setTimeout(r, 0))
    expect(revoked.sort()).toEqual(['blob:1', 'blob:2'])
  })
})
