// Numbers of the reports this device sent, newest first, so a citizen can look them up again
// without writing them down. Kept in localStorage; nothing personal, only numbers and times.
export interface MyReport {
  number: string
  category: string
  sentAt: number
}

const kKey = 'cityops.myReports'
export const kMaxKept = 50

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>

export function loadMyReports(storage: Storage = localStorage): MyReport[] {
  try {
    const list = JSON.parse(storage.getItem(kKey) ?? '[]')
    return Array.isArray(list) ? list.filter((r) => typeof r?.number === 'string') : []
  } catch {
    return []
  }
}

// A number already listed (a replayed answer) moves to the top instead of appearing twice.
export function rememberReport(report: MyReport, storage: Storage = localStorage): MyReport[] {
  const list = [report, ...loadMyReports(storage).filter((r) => r.number !== report.number)]
  const kept = list.slice(0, kMaxKept)
  storage.setItem(kKey, JSON.stringify(kept))
  return kept
}
