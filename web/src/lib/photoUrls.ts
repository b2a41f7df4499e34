// Photos are only readable with the bearer token, which an <img src> cannot send: each is
// fetched as a blob with the token and shown through an object URL. A cache shares one URL
// among the places that show the same photo; release() frees them when the page goes.
export type Fetcher = (url: string, init: RequestInit) => Promise<Response>
export type Kind = 'thumbnail' | 'full'

export function photoPath(name: string, kind: Kind): string {
  const base = `/api/v1/photos/${encodeURIComponent(name)}`
  return kind === 'thumbnail' ? `${base}/thumbnail` : base
}

export class PhotoUrls {
  private readonly urls = new Map<string, Promise<string>>()

  constructor(
    private readonly token: () => string,
    private readonly fetcher: Fetcher = (url, init) => fetch(url, init),
    private readonly toUrl: (blob: Blob) => string = (blob) => URL.createObjectURL(blob),
    private readonly revoke: (url: string) => void = (url) => URL.revokeObjectURL(url),
  ) {}

  // An object URL for the photo; rejects when the server refuses it.
  get(name: string, kind: Kind = 'thumbnail'): Promise<string> {
    const key = `${kind}:${name}`
    let url = this.urls.get(key)
    if (!url) {
      url = this.load(photoPath(name, kind))
      // A failure is not remembered, so that a later look may try again.
      url.catch(() => this.urls.delete(key))
      this.urls.set(key, url)
    }
    return url
  }

  private async load(path: string): Promise<string> {
    const res = await this.fetcher(path, { headers: { Authorization: `Bearer ${this.token()}` } })
    if (!res.ok) throw new Error(`${path}: ${res.status}`)
    return this.toUrl(await res.blob())
  }

  release(): void {
    for (const url of this.urls.values()) url.then(this.revoke, () => undefined)
    this.urls.clear()
  }
}
