import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { session } from '@/session'
import { homeFor, mayOpen, type Page } from '@/roles'

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue') },
  // Public pages: no sign-in, phone-sized.
  { path: '/lookup/:number?', name: 'lookup', component: () => import('@/views/LookupView.vue') },
  { path: '/report', name: 'report', component: () => import('@/views/MobileReportView.vue') },
  {
    path: '/',
    component: () => import('@/layouts/ShellLayout.vue'),
    children: [
      {
        path: '',
        name: 'home',
        // Redirects resolve before the guard below, so a signed-out visitor is sent on here.
        redirect: () => (session.user ? { name: homeFor(session.user.role) } : { name: 'login' }),
      },
      {
        path: 'dashboard',
        name: 'dashboard',
        component: () => import('@/views/DashboardView.vue'),
        meta: { page: 'dashboard' },
      },
      {
        path: 'cases',
        name: 'cases',
        component: () => import('@/views/WorkbenchView.vue'),
        meta: { page: 'cases' },
      },
      {
        path: 'cases/:number',
        name: 'case',
        component: () => import('@/views/CaseView.vue'),
        meta: { page: 'cases' },
      },
      {
        path: 'intake',
        name: 'intake',
        component: () => import('@/views/IntakeView.vue'),
        meta: { page: 'intake' },
      },
      {
        path: 'inbox',
        name: 'inbox',
        component: () => import('@/views/InboxView.vue'),
        meta: { page: 'inbox' },
      },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach((to) => {
  const publicPage = to.name === 'login' || to.name === 'lookup' || to.name === 'report'
  if (publicPage) return true
  if (!session.user) return { name: 'login', query: { next: to.fullPath } }
  const page = to.meta.page as Page | undefined
  if (page && !mayOpen(session.user.role, page)) return { name: homeFor(session.user.role) }
  return true
})
