// ECharts options for the dashboard's three charts, built from GET /stats/dashboard. Kept free
// of ECharts itself so that they can be checked without a canvas.
import type { NamedCount } from './stats'

const kText = '#b8cde0'
const kAxis = '#3a5674'
const kPalette = ['#4fc3f7', '#81c784', '#ffb74d', '#e57373', '#ba68c8', '#4db6ac', '#fff176']

export interface ChartTexts {
  intake: string // series name of the hourly chart
  count: string
  other: string
}

const axisStyle = {
  axisLine: { lineStyle: { color: kAxis } },
  axisLabel: { color: kText, fontSize: 11 },
  splitLine: { lineStyle: { color: '#1c3550' } },
}

// Hours 0–23 on the axis; a missing or short array counts as zeros.
export function hourlyOption(byHour: number[] | undefined, texts: ChartTexts) {
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'))
  const values = hours.map((_, h) => byHour?.[h] ?? 0)
  return {
    grid: { left: 34, right: 10, top: 16, bottom: 24 },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: hours,
      ...axisStyle,
      axisLabel: { ...axisStyle.axisLabel, interval: 3 },
    },
    yAxis: { type: 'value', minInterval: 1, ...axisStyle },
    series: [
      {
        name: texts.intake,
        type: 'bar',
        data: values,
        itemStyle: { color: '#4fc3f7', borderRadius: [2, 2, 0, 0] },
      },
    ],
  }
}

// The biggest classes, the rest summed as one slice so that the pie stays readable.
export function topWithOther(items: NamedCount[], keep: number, other: string) {
  const sorted = [...items].filter((i) => i.count > 0).sort((a, b) => b.count - a.count)
  const top = sorted.slice(0, keep).map((i) => ({ name: i.name || i.code, value: i.count }))
  const rest = sorted.slice(keep).reduce((sum, i) => sum + i.count, 0)
  if (rest > 0) top.push({ name: other, value: rest })
  return top
}

export function classOption(byClass: NamedCount[] | undefined, texts: ChartTexts) {
  return {
    color: kPalette,
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: {
      type: 'scroll',
      orient: 'vertical',
      right: 4,
      top: 'middle',
      textStyle: { color: kText, fontSize: 11 },
      pageTextStyle: { color: kText },
    },
    series: [
      {
        name: texts.count,
        type: 'pie',
        radius: ['42%', '72%'],
        center: ['32%', '50%'],
        label: { show: false },
        itemStyle: { borderColor: '#0b1a2b', borderWidth: 2 },
        data: topWithOther(byClass ?? [], 6, texts.other),
      },
    ],
  }
}

// A department's name without the district's name in front, which every one of them repeats.
export function shortName(name: string, district: string): string {
  return district && name.startsWith(district) && name.length > district.length
    ? name.slice(district.length)
    : name
}

// Horizontal bars, the most overdue department on top.
export function overdueOption(
  items: NamedCount[] | undefined,
  texts: ChartTexts,
  district = '',
) {
  const rows = [...(items ?? [])].sort((a, b) => a.count - b.count).slice(-8)
  return {
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, ...axisStyle },
    yAxis: {
      type: 'category',
      data: rows.map((r) => shortName(r.name, district) || r.code),
      ...axisStyle,
      axisLabel: { ...axisStyle.axisLabel, width: 110, overflow: 'truncate' },
    },
    series: [
      {
        name: texts.count,
        type: 'bar',
        data: rows.map((r) => r.count),
        itemStyle: { color: '#e57373', borderRadius: [0, 2, 2, 0] },
        label: { show: true, position: 'right', color: kText, fontSize: 11 },
      },
    ],
  }
}
