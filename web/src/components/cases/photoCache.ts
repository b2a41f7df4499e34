// One photo cache per page, signed with the current user's token and freed with the page.
import { onUnmounted } from 'vue'
import { PhotoUrls } from '@/lib/photoUrls'
import { session } from '@/session'

export function usePhotoUrls(): PhotoUrls {
  const photos = new PhotoUrls(() => session.token)
  onUnmounted(() => photos.release())
  return photos
}
