// MapLibre 6 starts its worker from a file beside its own module, which bundling moves away;
// pointing it at the worker file Vite emits makes layers load in development and in dist.
import { setWorkerUrl } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'

setWorkerUrl(workerUrl)
