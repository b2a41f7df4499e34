// Case counts on the cluster circles. The style has no glyphs (nothing is fetched from outside),
// so the numbers are small HTML markers kept in step with the clusters on screen.
import * as maplibregl from 'maplibre-gl'
import type { Map as MapLibre } from 'maplibre-gl'

export function clusterLabels(map: MapLibre, source: string, layer: string): () => void {
  const shown = new Map<number, maplibregl.Marker>()

  function update() {
    if (!map.getSource(source) || !map.isSourceLoaded(source)) return
    const visible = map.getLayer(layer) && map.getLayoutProperty(layer, 'visibility') !== 'none'
    const seen = new Set<number>()
    if (visible) {
      for (const f of map.querySourceFeatures(source, { filter: ['has', 'point_count'] })) {
        const props = f.properties as { cluster_id: number; point_count: number }
        const id = props.cluster_id
        if (seen.has(id)) continue // a cluster repeats in each tile it touches
        seen.add(id)
        const at = (f.geometry as GeoJSON.Point).coordinates as [number, number]
        let marker = shown.get(id)
        if (!marker) {
          const el = document.createElement('div')
          el.className = 'cluster-count'
          marker = new maplibregl.Marker({ element: el }).setLngLat(at).addTo(map)
          shown.set(id, marker)
        }
        marker.setLngLat(at)
        marker.getElement().textContent = String(props.point_count)
      }
    }
    for (const [id, marker] of shown) {
      if (seen.has(id)) continue
      marker.remove()
      shown.delete(id)
    }
  }

  map.on('render', update)
  return () => {
    map.off('render', update)
    for (const marker of shown.values()) marker.remove()
    shown.clear()
  }
}
