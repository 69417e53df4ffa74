import type { Cents } from '../money.js'
import type { Account } from './model.js'

/** The password of every test buyer; it is printed on the sign-in page on purpose. */
export const TEST_BUYER_PASSWORD = 'sandbox'

/** A test buyer and the Amazon Payments balance it starts with. */
export interface TestBuyer extends Account {
  openingBalance: Cents
  /** What the sign-in page says the buyer is good for. */
  purpose: string
}

/** The documented development credentials used when no caller is configured. */
export const DEFAULT_CALLER = {
  accessKeyId: 'AKIAFPSSANDBOXDEV001',
  secretKey: 'fps-sandbox-development-secret-key-0001',
  account: 'Sandbox Merchant',
} as const

/** The buyers listed on the sign-in page, one per situation a checkout must handle. */
export const TEST_BUYERS: readonly TestBuyer[] = [
  buyer(
    'alice',
    'Alice Allmethods',
    ['ABT', 'ACH', 'CC'],
    100_000,
    'every payment method, $1,000.00 balance'
  ),
  buyer('bob', 'Bob Cardonly', ['CC'], 0, 'a credit card only'),
  buyer('carol', 'Carol Bankonly', ['ACH'], 0, 'a bank account only'),
  buyer('dave', 'Dave Lowbalance', ['ABT', 'CC'], 500, 'a $5.00 balance, for InsufficientBalance'),
  buyer('erin', 'Erin Seller', ['ABT'], 0, 'a marketplace seller: install recipient tokens as her'),
]

function buyer(
  handle: string,
  name: string,
  methods: Account['methods'],
  openingBalance: Cents,
  purpose: string
): TestBuyer {
  return {
    id: `buyer-${handle}`,
    name,
    email: `${handle}@buyer.example`,
    kind: 'buyer',
    methods,
    cardExpiry: '10/2030',
    openingBalance,
    purpose,
  }
}

/** A caller's account id, derived from its name so a restart with the same flags finds it again. */
export function callerAccountId(name: string): string {
  return `caller-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`
}

/** The account record of a caller (a developer's Amazon Payments business account). */
export function callerAccount(name: string): Account {
  const slug = callerAccountId(name).slice('caller-'.length)
  return {
    id: callerAccountId(name),
    name,
    email: `${slug}@merchant.example`,
    kind: 'caller',
    methods: ['ABT'],
    cardExpiry: '10/2030',
  }
}
