import { describe, expect, it } from 'vitest'
import { classOption, hourlyOption, overdueOption, shortName, topWithOther } from './charts'

const texts = { intake: '受理', count: '数量', other: '其他' }

describe('chart options', () => {
  it('fills 24 hours, zeros where the server sent nothing', () => {
    const option = hourlyOption([1, 2, 3], texts)
    expect(option.xAxis.data).toHaveLength(24)
    expect(option.xAxis.data[9]).toBe('09')
    expect(option.series[0]!.data).toEqual([1, 2, 3, ...Array(21).fill(0)])
  })

  it('keeps the biggest classes and sums the rest', () => {
    const items = [
      { code: '01', name: 'A', count: 1 },
      { code: '02', name: 'B', count: 5 },
      { code: '03', name: '', count: 3 },
      { code: '04', name: 'D', count: 2 },
      { code: '05', name: 'E', count: 0 },
    ]
    expect(topWithOther(items, 2, '其他')).toEqual([
      { name: 'B', value: 5 },
      { name: '03', value: 3 },
      { name: '其他', value: 3 },
    ])
    expect(classOption(items, texts).series[0]!.data).toHaveLength(4)
  })

  it('puts the most overdue department on top of the bars', () => {
    const option = overdueOption(
      [
        { code: 'a', name: '环卫', count: 2 },
        { code: 'b', name: '园林', count: 7 },
        { code: 'c', name: '城管', count: 4 },
      ],
      texts,
    )
    // ECharts draws the last category at the top of a vertical category axis.
    expect(option.yAxis.data).toEqual(['环卫', '城管', '园林'])
    expect(option.series[0]!.data).toEqual([2, 4, 7])
  })

  it('drops the district name that starts every department name', () => {
    expect(shortName('北戴河区城市管理局', '北戴河区')).toBe('城市管理局')
    expect(shortName('海港区城市管理局', '北戴河区')).toBe('海港区城市管理局')
    expect(shortName('北戴河区', '北戴河区')).toBe('北戴河区')
    const items = [{ code: 'a', name: '北戴河区环卫处', count: 1 }]
    const option = overdueOption(items, texts, '北戴河区')
    expect(option.yAxis.data).toEqual(['环卫处'])
  })
})
