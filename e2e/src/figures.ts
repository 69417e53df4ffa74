/**
 * @module The shape of a measured figure and its table, shared by the chaos runs and `pnpm bench`.
 */

/** One figure of a reliability run or a benchmark. */
export interface Figure {
  name: string
  value: number
  unit: string
  target?: { op: '>=' | '<='; value: number }
  note?: string
}

/** A count whose target is zero: lost orders, double charges, server errors. */
export function none(name: string, value: number, unit: string, note?: string): Figure {
  return {
    name,
    value,
    unit,
    target: { op: '<=', value: 0 },
    ...(note === undefined ? {} : { note }),
  }
}

/** `ok` or `MISSED` against the figure's target. */
export function meets(figure: Figure): string {
  if (!figure.target) return ''
  const { op, value } = figure.target
  const ok = op === '>=' ? figure.value >= value : figure.value <= value
  return `${ok ? 'ok' : 'MISSED'} (target ${op} ${value})`
}

function format(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US')
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(3)
}

/** The figures as aligned columns: name, value, unit, target verdict, note. */
export function table(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.name, format(f.value), f.unit, meets(f), f.note ?? ''])
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)))
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 1 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd()
    )
    .join('\n')
}
