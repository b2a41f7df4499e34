// Photos from a phone camera are 3–12 MB; shrunk on the phone to at most 1600 px on the long
// side as JPEG they are a few hundred KB, which matters on a mobile data plan and in the
// outbox. A photo already that small in a type the server takes is sent as it is.
export const kMaxPhotos = 4
export const kMaxSide = 1600
export const kQuality = 0.85
const kServerTypes = ['image/jpeg', 'image/png', 'image/webp']

export function fitWithin(width: number, height: number, max = kMaxSide): [number, number] {
  const long = Math.max(width, height)
  if (long <= max) return [width, height]
  const scale = max / long
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))]
}

export function keepOriginal(type: string, width: number, height: number): boolean {
  return kServerTypes.includes(type) && Math.max(width, height) <= kMaxSide
}

// A photo chosen on the page, ready to keep or send; `url` shows its preview.
export interface PickedPhoto {
  id: number
  name: string
  blob: Blob
  url: string
}

// `photo-3.jpg` for a converted photo; the original name otherwise.
export function photoName(original: string, index: number, converted: boolean): string {
  if (!converted && /\.(jpe?g|png|webp)$/i.test(original)) return original
  return `photo-${index + 1}.jpg`
}

// The browser part: decode (turning the picture upright by its EXIF orientation), draw
// smaller, encode as JPEG. A file the browser cannot decode goes as it is; the server then
// says what is wrong with it.
export async function shrinkPhoto(file: File): Promise<{ blob: Blob; converted: boolean }> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  } catch {
    return { blob: file, converted: false }
  }
  try {
    if (keepOriginal(file.type, bitmap.width, bitmap.height)) {
      return { blob: file, converted: false }
    }
    const [w, h] = fitWithin(bitmap.width, bitmap.height)
    const canvas = document.createElement('canvas')
    canvas.width = w
    canvas.height = h
    const g = canvas.getContext('2d')
    if (!g) return { blob: file, converted: false }
    g.drawImage(bitmap, 0, 0, w, h)
    const blob = await new Promise<Blob | null>((done) =>
      canvas.toBlob(done, 'image/jpeg', kQuality),
    )
    return blob ? { blob, converted: true } : { blob: file, converted: false }
  } finally {
    bitmap.close()
  }
}
