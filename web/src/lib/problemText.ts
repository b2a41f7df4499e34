// A server refusal in the user's language. The server's titles are English for operators and
// logs; a clerk reads the message for its stable `code`, with the English kept for codes this
// table does not know yet (and the field, when the server named one).
import { ApiError } from '@/api/client'

type Translate = (key: string, named?: Record<string, unknown>) => string
type Has = (key: string) => boolean

export function problemText(e: unknown, t: Translate, te: Has): string {
  if (!(e instanceof ApiError)) return String(e)
  const key = `problem.${e.code}`
  if (te(key)) return t(key, { field: e.field ?? '' })
  return `${e.message} (${e.code})`
}
