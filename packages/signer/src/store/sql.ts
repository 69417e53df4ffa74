import type { Db, Durability, Row, SqlValue } from './db.js'

/** The first row a statement answers, if any; a write gets `durability`. */
export function first(db: Db, durability: Durability = 'disk') {
  return async (text: string, ...args: SqlValue[]): Promise<Row | undefined> =>
    (await db.query(text, args, durability))[0]
}

/** Every row a statement answers, mapped. */
export function all(db: Db) {
  return async <T>(map: (row: Row) => T, text: string, ...args: SqlValue[]): Promise<T[]> =>
    (await db.query(text, args)).map(map)
}

/** `?, ?, ?` for an IN list of `count` values. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ')
}
