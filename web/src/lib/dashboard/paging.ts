// Follows `next_cursor` through a list endpoint until the last page or a cap, so that a wall
// screen left open on a district with a huge backlog still loads in bounded time.
export interface Page<T> {
  items: T[]
  next_cursor: string | null
}

export async function collectPages<T>(
  fetchPage: (cursor: string | null) => Promise<Page<T>>,
  cap: number,
): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = []
  let cursor: string | null = null
  for (;;) {
    const page: Page<T> = await fetchPage(cursor)
    for (const item of page.items) {
      if (items.length >= cap) return { items, truncated: true }
      items.push(item)
    }
    if (!page.next_cursor) return { items, truncated: false }
    if (items.length >= cap) return { items, truncated: true }
    cursor = page.next_cursor
  }
}
