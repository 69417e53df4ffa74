import { abandonedCheckoutRows, Ids, ITEMS, type OrderRows, paidOrderRows } from './rows.js'

/** What a seeded store holds. */
export interface SeedPlan {
  /** Orders in all. */
  orders: number
  /** Of them, checkouts whose buyer never came back, older than the sweep's recover-after. */
  abandoned: number
}

/**
 * A year of a shop's orders: the growth figures' store. 900 abandoned checkouts are stale; the
 * growth bench adds 100 more stale orders the sandbox knows (authorized but never returned, and
 * card payments still pending), for 1,000 stale among 1,000,100.
 */
export const MILLION: SeedPlan = { orders: 1_000_000, abandoned: 900 }

const HOUR = 60 * 60_000
const YEAR = 365 * 24 * HOUR

/**
 * The plan's orders, oldest first, as the signer would have stored them by `seededAt`: paid
 * orders spread evenly over the year up to two hours before, then the abandoned checkouts of the
 * hour before that (three hours to 75 minutes before), each past its one-hour expiry.
 */
export function* seedOrders(plan: SeedPlan, seededAt: number): Generator<OrderRows> {
  const ids = new Ids()
  const paid = plan.orders - plan.abandoned
  const first = seededAt - YEAR
  const step = (YEAR - 2 * HOUR) / Math.max(paid, 1)
  for (let i = 0; i < paid; i++) {
    yield paidOrderRows(ids.paidOrder(Math.floor(first + i * step), i % ITEMS.length))
  }
  const abandonedFrom = seededAt - 3 * HOUR
  const abandonedStep = (105 * 60_000) / Math.max(plan.abandoned, 1)
  for (let i = 0; i < plan.abandoned; i++) {
    yield abandonedCheckoutRows(
      ids.abandonedCheckout(Math.floor(abandonedFrom + i * abandonedStep), i % ITEMS.length)
    )
  }
}
