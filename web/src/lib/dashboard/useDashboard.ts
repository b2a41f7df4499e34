// The page's state: the stats, the open-case markers, the grid densities and the live feed,
// loaded once and then kept current by the live stream.
import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue'
import type { FeatureCollection } from 'geojson'
import { session } from '@/session'
import { fetchRegions } from '@/map/baseMap'
import { clientConfig, type ClientConfig } from '@/map/clientConfig'
import { densityGrids } from './density'
import { prependFeed } from './feed'
import { debounce, LiveStream, type LiveStatus } from './live'
import {
  applyEvent,
  mergePage,
  toFeatureCollection,
  type CaseEvent,
  type MarkerStore,
} from './markers'
import { fetchGridCounts, fetchOpenCases, fetchStats } from './sources'
import { chinaDate, yearBefore, type DashboardStats } from './stats'

// Counters and charts follow a burst of events once, this long after its last event.
const kRefreshDelayMs = 400
// Lights turn and steps fall overdue with no event to announce it.
const kPollMs = 60000

const empty: FeatureCollection = { type: 'FeatureCollection', features: [] }

export function useDashboard() {
  const config = shallowRef<ClientConfig | null>(null)
  const stats = shallowRef<DashboardStats | null>(null)
  const cases = shallowRef<FeatureCollection>(empty)
  const grids = shallowRef<FeatureCollection | null>(null)
  const feed = shallowRef<CaseEvent[]>([])
  const status = ref<LiveStatus>('connecting')
  const error = ref('')
  const truncatedAt = ref(0)

  const store: MarkerStore = new Map()
  let gridShapes: FeatureCollection | null = null
  // Events that arrive while the first pages load wait here, then apply over the pages.
  let pending: CaseEvent[] | null = []
  let frame = 0
  let poll: ReturnType<typeof setInterval> | null = null
  let live: LiveStream | null = null

  function fail(e: unknown) {
    error.value = (e as Error).message || String(e)
  }

  // One rebuild of the marker data per animation frame, however many events came.
  function redraw() {
    if (frame || !config.value) return
    const datum = config.value.map.tile_datum
    frame = requestAnimationFrame(() => {
      frame = 0
      cases.value = toFeatureCollection(store, datum)
    })
  }

  async function loadStats() {
    try {
      stats.value = await fetchStats()
      error.value = ''
    } catch (e) {
      fail(e)
    }
  }

  async function loadGrids() {
    if (!config.value) return
    try {
      const to = stats.value?.date ?? chinaDate(new Date())
      const [shapes, counts] = await Promise.all([
        gridShapes ?? fetchRegions('governance_grid', config.value),
        fetchGridCounts(yearBefore(to), to),
      ])
      gridShapes = shapes
      grids.value = densityGrids(shapes, counts)
    } catch (e) {
      fail(e)
    }
  }

  async function loadCases() {
    try {
      const page = await fetchOpenCases()
      mergePage(store, page.items)
      truncatedAt.value = page.truncated ? page.items.length : 0
    } catch (e) {
      fail(e)
    }
    for (const event of pending ?? []) applyEvent(store, event)
    pending = null
    redraw()
  }

  const refresh = debounce(() => {
    void loadStats().then(loadGrids)
  }, kRefreshDelayMs)

  function onCase(event: CaseEvent) {
    feed.value = prependFeed(feed.value, event)
    if (pending) pending.push(event)
    else {
      applyEvent(store, event)
      redraw()
    }
    refresh()
  }

  // What the browser tests read: the marker data as the map has it.
  function caseFeature(number: string) {
    const m = store.get(number)
    return m ? { state: m.state, light: m.light } : null
  }

  onMounted(async () => {
    config.value = await clientConfig()
    live = new LiveStream({
      token: () => session.token,
      onCase,
      onStatus: (s) => (status.value = s),
    })
    live.start()
    await loadStats()
    await Promise.all([loadGrids(), loadCases()])
    poll = setInterval(refresh, kPollMs)
  })

  onBeforeUnmount(() => {
    live?.stop()
    refresh.cancel()
    if (poll) clearInterval(poll)
    if (frame) cancelAnimationFrame(frame)
  })

  return { config, stats, cases, grids, feed, status, error, truncatedAt, caseFeature }
}
