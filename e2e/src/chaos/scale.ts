/** How many of each thing one reliability run does. */
export interface Scale {
  name: 'full' | 'short'
  /** Purchases while a third of the Pay answers are lost. */
  purchases: number
  /** The share of those purchases the attacker sends a message about while they are in flight. */
  attackShare: number
  /** Signer processes killed mid-purchase. */
  crashes: number
  /** Signer processes killed while they deliver webhooks. */
  deliveryKills: number
  /** Signer processes killed while the sweep charges subscriptions' periods. */
  subscriptionKills: number
  /** Subscribers, and the periods each is charged (the sign-up's, then one a month by the sweep). */
  subscribers: number
  subscriptionPeriods: number
  /** Mutated returns and IPNs, together. */
  mutations: number
  /** Generated malformed requests per endpoint. */
  fuzzRuns: number
  /** Seconds of load on `POST /checkout`. */
  loadSeconds: number
  /** The time one test of the run may take, in milliseconds. */
  timeoutMs: number
}

const FULL: Scale = {
  name: 'full',
  purchases: 1_000,
  attackShare: 0.1,
  crashes: 50,
  deliveryKills: 50,
  subscriptionKills: 20,
  subscribers: 12,
  subscriptionPeriods: 6,
  mutations: 10_000,
  fuzzRuns: 10_000,
  loadSeconds: 60,
  timeoutMs: 20 * 60_000,
}

/** About a twentieth of the full run, so it fits in the normal test command on two cores. */
const SHORT: Scale = {
  name: 'short',
  purchases: 50,
  attackShare: 0.3,
  crashes: 3,
  deliveryKills: 4,
  subscriptionKills: 4,
  subscribers: 4,
  subscriptionPeriods: 3,
  mutations: 500,
  fuzzRuns: 500,
  loadSeconds: 5,
  timeoutMs: 90_000,
}

/** `CHAOS_SCALE=full` (what `pnpm test:chaos` sets) picks the numbers; unset, the short form. */
function fromEnvironment(value = process.env.CHAOS_SCALE ?? 'short'): Scale {
  if (value === 'full') return FULL
  if (value === 'short') return SHORT
  throw new Error(`CHAOS_SCALE must be "full" or "short", not "${value}".`)
}

export const SCALE = fromEnvironment()
