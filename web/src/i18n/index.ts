// Simplified Chinese by default, English second. Each feature keeps its texts in
// messages/<feature>.ts as { 'zh-CN': {...}, en: {...} } under its own top-level key.
import { createI18n } from 'vue-i18n'

export type Locale = 'zh-CN' | 'en'
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Messages = Record<Locale, Record<string, any>>

const modules = import.meta.glob<{ default: Messages }>('./messages/*.ts', { eager: true })

function merge(): Messages {
  const out: Messages = { 'zh-CN': {}, en: {} }
  for (const mod of Object.values(modules)) {
    for (const locale of ['zh-CN', 'en'] as const) Object.assign(out[locale], mod.default[locale])
  }
  return out
}

const kKey = 'cityops.locale'
const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem(kKey)

export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages: merge() as any, // eslint-disable-line @typescript-eslint/no-explicit-any
})

export function setLocale(locale: Locale) {
  ;(i18n.global.locale as unknown as { value: string }).value = locale
  localStorage.setItem(kKey, locale)
  document.documentElement.lang = locale
}
