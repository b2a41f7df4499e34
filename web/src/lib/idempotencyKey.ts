// A fresh Idempotency-Key. crypto.randomUUID exists only on secure pages (https or loopback);
// a phone reaching the server over plain http on the LAN still has getRandomValues.
export function newIdempotencyKey(c: Crypto = globalThis.crypto): string {
  if (typeof c.randomUUID === 'function') return c.randomUUID()
  const bytes = c.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6] & 0x0f) | 0x40
  bytes[8] = (bytes[8] & 0x3f) | 0x80
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
  const cut = [0, 8, 12, 16, 20, 32]
  return cut.slice(1).map((end, i) => hex.slice(cut[i], end)).join('-')
}
