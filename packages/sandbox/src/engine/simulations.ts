import { type FpsErrorCode, FpsFault } from '../errors.js'
import type { Cents } from '../money.js'

type Role = 'Sender' | 'Recipient'
type Simulation = { code: (role: Role) => FpsErrorCode; message: (role: Role) => string }

const unverified: Simulation = {
  code: (role) => `UnverifiedEmailAddress_${role}`,
  message: (role) =>
    `The ${role.toLowerCase()}'s e-mail address is not verified (sandbox simulation).`,
}
const suspended: Simulation = {
  code: (role) => `InvalidAccountState_${role}`,
  message: (role) => `The ${role.toLowerCase()}'s account is suspended (sandbox simulation).`,
}
const closed: Simulation = {
  code: (role) => `InvalidAccountState_${role}`,
  message: (role) => `The ${role.toLowerCase()}'s account is closed (sandbox simulation).`,
}

/** The token ids FPS's sandbox guide reserved for simulating account problems, by role. */
export const SIMULATED_TOKENS: Readonly<Record<Role, Readonly<Record<string, Simulation>>>> = {
  Sender: {
    E3FR7BARJV3PB631PMKV74PGKCJLBHI1Q1KMQN7BJ2JJICPDKN3N1CJIKFZ8D7NN: unverified,
    H216UECZ8ZM1G8G4QA3V7RKF8JDFZ9SI3SJAFSGUKBBNDHX1NVM8GUQRZNRNAHER: suspended,
    Z1LGRXR4HMDZBSFKXELA32KZASGWD8IHMHZCK4DETR784LDLD1GMFW4P3WT8VTGX: closed,
  },
  Recipient: {
    C4LGSEMXN11FTUXZ2X2C7QVFHN5DVBGQJNF17AIQXXXQSX4DRG4KJFCN2KRFUUZI: unverified,
    R3VK49XVGCAZTJSXKN7ZSBHPMFGKM5VEEQTXGMVE8CFUZ2G5RLLMAB4J6TQRL6BU: suspended,
    P1LL7A1LHK935DBGI5NAYCXOCLVEBHBNIU7PBXBAMRKKNLDEPI8M3MUSLZT2VANZ: closed,
  },
}

/** Throws the simulated error when a Pay or Reserve names one of the sandbox's special token ids. */
export function checkSimulatedToken(tokenId: string | undefined, role: Role): void {
  const simulation = tokenId === undefined ? undefined : SIMULATED_TOKENS[role][tokenId]
  if (simulation) throw new FpsFault(simulation.code(role), simulation.message(role))
}

/**
 * The sandbox's "temporary decline" amounts, N.6n (100.6, 0.6, 2.61): the first decimal is 6.
 * Such a payment is accepted and then fails, as a declined card would.
 */
export function isTemporaryDecline(amount: Cents): boolean {
  return Math.floor((amount % 100) / 10) === 6
}

/**
 * How many tries at a temporary-decline amount a token's payment instrument declines before it
 * clears: the second decimal, N.6n declining n times; N.60 declines for good, so a merchant can
 * try both a decline that a retry overcomes and one it never does.
 */
export function declinesBeforeClearing(amount: Cents): number {
  const times = amount % 10
  return times === 0 ? Number.POSITIVE_INFINITY : times
}
