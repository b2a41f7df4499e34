// Case numbers as the server issues them: district code, the local date of the report and a
// six-digit sequence, e.g. 130304-20261204-000017. Checked on the phone so a mistyped number
// gets a message beside the field instead of a round trip.
const kPattern = /^(\d{6})-(\d{4})(\d{2})(\d{2})-(\d{6})$/

export type NumberProblem = 'empty' | 'format' | 'date'

// Spaces and full-width digits or dashes come from Chinese keyboards and copied SMS text.
export function normalizeCaseNumber(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\uFF0D\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, '')
}

export function checkCaseNumber(text: string): NumberProblem | null {
  const number = normalizeCaseNumber(text)
  if (!number) return 'empty'
  const m = kPattern.exec(number)
  if (!m) return 'format'
  const [year, month, day] = [Number(m[2]), Number(m[3]), Number(m[4])]
  const date = new Date(Date.UTC(year, month - 1, day))
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  return real && year >= 2000 ? null : 'date'
}
