// The signed-in user, kept in localStorage so that a reload stays signed in.
import { reactive } from 'vue'

export type Role =
  | 'admin'
  | 'intake_clerk'
  | 'shift_lead'
  | 'dispatcher'
  | 'department_handler'
  | 'inspector'
  | 'grid_worker'
  | 'supervisor'
  | 'viewer'

export interface User {
  username: string
  display_name: string
  role: Role
  department: string
  grids: string[]
}

interface Stored {
  token: string
  expires_at: string
  user: User
}

const kKey = 'cityops.session'

function load(): Stored | null {
  try {
    const text = localStorage.getItem(kKey)
    if (!text) return null
    const stored = JSON.parse(text) as Stored
    if (Date.parse(stored.expires_at) <= Date.now()) return null
    return stored
  } catch {
    return null
  }
}

const initial = typeof localStorage === 'undefined' ? null : load()

export const session = reactive({
  token: initial?.token ?? '',
  expiresAt: initial?.expires_at ?? '',
  user: (initial?.user ?? null) as User | null,
  // Set when the server refused the token, so the shell can send the user to the login page.
  expired: false,

  signIn(stored: Stored) {
    this.token = stored.token
    this.expiresAt = stored.expires_at
    this.user = stored.user
    this.expired = false
    localStorage.setItem(kKey, JSON.stringify(stored))
  },
  clear() {
    this.token = ''
    this.expiresAt = ''
    this.user = null
    localStorage.removeItem(kKey)
  },
  expire() {
    this.clear()
    this.expired = true
  },
})
