// The problems citizens report most, offered as one tap each (and usable offline); anything
// else is found by search. Codes of GB/T 47678.5 management matters; names in report.cat.
export const kCommonCategories = [
  '06010',
  '06042',
  '06012',
  '06013',
  '01023',
  '01037',
  '07001',
  '09006',
  '09009',
  '06036',
  '06028',
  '06015',
]
