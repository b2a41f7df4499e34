import { describe, expect, it } from 'vitest'
import { collectPages, type Page } from './paging'

// A server holding 0..total-1 in pages of `size`, recording the cursors it was asked for.
function pager(total: number, size: number) {
  const asked: (string | null)[] = []
  const fetchPage = async (cursor: string | null): Promise<Page<number>> => {
    asked.push(cursor)
    const start = cursor ? Number(cursor) : 0
    const length = Math.max(0, Math.min(size, total - start))
    const items = Array.from({ length }, (_, i) => start + i)
    const next = start + size < total ? String(start + size) : null
    return { items, next_cursor: next }
  }
  return { asked, fetchPage }
}

describe('paging', () => {
  it('follows the cursor to the last page', async () => {
    const { asked, fetchPage } = pager(250, 100)
    const out = await collectPages(fetchPage, 3000)
    expect(out.items).toHaveLength(250)
    expect(out.items[249]).toBe(249)
    expect(out.truncated).toBe(false)
    expect(asked).toEqual([null, '100', '200'])
  })

  it('stops at the cap without asking for more pages', async () => {
    const { asked, fetchPage } = pager(1000, 100)
    const out = await collectPages(fetchPage, 250)
    expect(out.items).toHaveLength(250)
    expect(out.truncated).toBe(true)
    expect(asked).toEqual([null, '100', '200'])
  })

  it('handles an empty list', async () => {
    const out = await collectPages(pager(0, 100).fetchPage, 10)
    expect(out).toEqual({ items: [], truncated: false })
  })
})
