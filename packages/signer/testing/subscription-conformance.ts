import type { Store } from '@fps-checkout/signer'
import { expect, it } from 'vitest'
import { newOrder } from './store-conformance.js'

/** A subscription as the store keeps it, and the fields one starts with. */
type Subscription = NonNullable<Awaited<ReturnType<Store['getSubscription']>>>
type NewSubscription = Parameters<Store['insertSubscription']>[0]
type SubscriptionChange = Parameters<Store['changeSubscription']>[1]

const T0 = '2030-01-01T00:00:00.000Z'
const T1 = '2030-01-01T00:01:00.000Z'
const T2 = '2030-01-01T00:02:00.000Z'
/** Far after every other subscription of the suite falls due: only the due test's are due before. */
const NEVER_DUE = '2200-01-01T00:00:00.000Z'

let tokens = 0

/**
 * Stores the sign-up order of a subscription and answers the subscription to insert for it:
 * active, at period 1, due `NEVER_DUE` unless `overrides` say otherwise.
 */
async function signUp(
  store: Store,
  overrides: Partial<NewSubscription> = {}
): Promise<NewSubscription> {
  tokens += 1
  const order = newOrder({
    item: 'streaming-monthly',
    amount: '4.99',
    amountCents: 499,
    ...(overrides.callerReference === undefined
      ? {}
      : { callerReference: overrides.callerReference }),
  })
  await store.insertOrder(order)
  return {
    callerReference: order.callerReference,
    plan: 'streaming-monthly',
    every: '1 Month',
    amount: '4.99',
    amountCents: 499,
    currencyCode: 'USD',
    tokenId: `token_subscription_${tokens}_${Math.random().toString(36).slice(2)}`,
    status: 'active',
    period: 1,
    attempt: 1,
    dueAt: NEVER_DUE,
    anchorAt: T0,
    endsAt: undefined,
    trialEndsAt: undefined,
    createdAt: T0,
    ...overrides,
  }
}

/** The change the sweep makes when `read`'s period is paid by the order `callerReference`. */
function chargedChange(read: Subscription, callerReference: string): SubscriptionChange {
  return {
    set: {
      status: 'active',
      period: read.period + 1,
      attempt: 1,
      dueAt: '2030-01-31T00:00:00.000Z',
      chargedPeriods: read.chargedPeriods + 1,
    },
    event: 'subscription.charged',
    charge: { period: read.period, callerReference, amount: read.amount },
    note: `Period ${read.period} charged.`,
    at: T1,
  }
}

const cancelChange: SubscriptionChange = {
  set: { status: 'cancelled' },
  event: 'subscription.cancelled',
  note: 'Cancelled.',
  at: T2,
}

/** The subscription events of an order, oldest first. */
async function subscriptionEvents(store: Store, callerReference: string) {
  const events = await store.listEvents({ callerReference, limit: 100 })
  return events.filter((event) => event.type.startsWith('subscription.')).reverse()
}

/**
 * What every store must keep of subscriptions: one per sign-up order however many processes
 * insert it, a change applied only to the subscription as it was read (so of two processes moving
 * the same period on, one does), and each change's history line and event written with it, or
 * not at all. `stores` answers the suite's two stores on one database (two processes).
 */
export function subscriptionConformance(stores: () => [Store, Store]): void {
  it('stores a subscription once when two processes insert it at once, with one event and one history line', async () => {
    const [store, other] = stores()
    const fresh = await signUp(store)
    const note = 'Subscribed: 4.99 USD every 1 Month.'
    const results = await Promise.all([
      store.insertSubscription(fresh, note),
      other.insertSubscription(fresh, note),
    ])
    expect(results.map((result) => result.inserted).sort()).toEqual([false, true])
    const stored: Subscription = { ...fresh, chargedPeriods: 0, updatedAt: T0 }
    expect(results.map((result) => result.subscription)).toEqual([stored, stored])
    expect(await other.getSubscription(fresh.callerReference)).toEqual(stored)
    expect(await store.getSubscription('ord_missing')).toBeUndefined()

    // later, with other terms: the stored one stands
    const again = await store.insertSubscription(
      { ...fresh, amount: '9.99', amountCents: 999 },
      note
    )
    expect(again).toEqual({ subscription: stored, inserted: false })

    const events = await subscriptionEvents(other, fresh.callerReference)
    expect(events.map((event) => event.type)).toEqual(['subscription.created'])
    expect(events[0]!.subscription).toEqual({ subscription: stored })
    expect(events[0]!.order.callerReference).toBe(fresh.callerReference)
    const history = await store.history(fresh.callerReference)
    expect(history.filter((line) => line.note === note)).toHaveLength(1)
    expect(history).toHaveLength(2)
  })

  it('applies one of two changes made from the same read, with one event and one history line', async () => {
    const [store, other] = stores()
    const { subscription: read } = await store.insertSubscription(
      await signUp(store),
      'Subscribed.'
    )
    const before = (await store.history(read.callerReference)).length
    const race = await Promise.all([
      store.changeSubscription(read, chargedChange(read, `${read.callerReference}-x`)),
      other.changeSubscription(read, chargedChange(read, `${read.callerReference}-y`)),
      store.changeSubscription(read, cancelChange),
      other.changeSubscription(read, cancelChange),
    ])
    const applied = race.filter((result) => result !== undefined)
    expect(applied).toHaveLength(1)
    const winner = applied[0]!
    expect(await other.getSubscription(read.callerReference)).toEqual(winner)
    const events = await subscriptionEvents(store, read.callerReference)
    expect(events.map((event) => event.type)).toEqual([
      'subscription.created',
      winner.status === 'cancelled' ? 'subscription.cancelled' : 'subscription.charged',
    ])
    expect(events[1]!.subscription?.subscription).toEqual(winner)
    expect(await store.history(read.callerReference)).toHaveLength(before + 1)
  })

  it('applies nothing from a stale read, and writes no event nor history line for it', async () => {
    const [store, other] = stores()
    const { subscription: read } = await store.insertSubscription(
      await signUp(store),
      'Subscribed.'
    )
    const pastDue = await store.changeSubscription(read, {
      set: { status: 'past_due', attempt: 2, dueAt: T2 },
      event: 'subscription.past_due',
      note: 'Period 1, try 1 declined.',
      at: T1,
    })
    expect(pastDue).toMatchObject({ status: 'past_due', period: 1, attempt: 2, updatedAt: T1 })
    const events = await subscriptionEvents(store, read.callerReference)
    const history = await store.history(read.callerReference)

    // the same period, another try; the same try, another status; another period
    const stale = [read, { ...pastDue!, status: 'active' as const }, { ...pastDue!, period: 2 }]
    for (const from of stale) {
      expect(await other.changeSubscription(from, cancelChange)).toBeUndefined()
      expect(await store.changeSubscription(from, chargedChange(from, 'ord_stale'))).toBeUndefined()
    }
    expect(await store.getSubscription(read.callerReference)).toEqual(pastDue)
    expect(await subscriptionEvents(other, read.callerReference)).toEqual(events)
    expect(await other.history(read.callerReference)).toEqual(history)

    // a change that tells no event still writes its history line
    const retried = await other.changeSubscription(pastDue!, {
      set: { attempt: 3, dueAt: T2 },
      event: undefined,
      note: 'Period 1, try 2 declined.',
      at: T2,
    })
    expect(retried).toMatchObject({ status: 'past_due', attempt: 3 })
    // the read of the try before: the same status and period, another try
    expect(await store.changeSubscription(pastDue!, cancelChange)).toBeUndefined()
    expect(await other.getSubscription(read.callerReference)).toEqual(retried)
    expect(await subscriptionEvents(store, read.callerReference)).toEqual(events)
    expect(await store.history(read.callerReference)).toEqual([
      ...history,
      { at: T2, status: 'created', note: 'Period 1, try 2 declined.' },
    ])
  })

  it("writes the charge's event with the subscription as the change left it, and the charge", async () => {
    const [store, other] = stores()
    const { subscription: read } = await store.insertSubscription(
      await signUp(store),
      'Subscribed.'
    )
    const periodOrder = `${read.callerReference}-2-1`
    const first = await other.changeSubscription(read, chargedChange(read, read.callerReference))
    const second = await store.changeSubscription(first!, chargedChange(first!, periodOrder))
    const expected: Subscription = {
      ...read,
      period: 3,
      attempt: 1,
      dueAt: '2030-01-31T00:00:00.000Z',
      chargedPeriods: 2,
      updatedAt: T1,
    }
    expect(second).toEqual(expected)
    const charged = (await subscriptionEvents(other, read.callerReference)).filter(
      (event) => event.type === 'subscription.charged'
    )
    expect(charged.map((event) => event.subscription)).toEqual([
      {
        subscription: { ...expected, period: 2, chargedPeriods: 1 },
        charge: { period: 1, callerReference: read.callerReference, amount: '4.99' },
      },
      {
        subscription: expected,
        charge: { period: 2, callerReference: periodOrder, amount: '4.99' },
      },
    ])
    expect(charged.map((event) => event.at)).toEqual([T1, T1])
    expect(await store.getEvent(charged[1]!.id)).toEqual(charged[1])
    expect(charged[1]!.seq).toBeGreaterThan(charged[0]!.seq)
  })

  it('answers the subscriptions due by now, in a trial, active or past due, the longest due first, up to the limit', async () => {
    const [store, other] = stores()
    const due = (at: string) => `1990-01-${at}T00:00:00.000Z`
    const make = async (
      status: Subscription['status'],
      dueAt: string,
      trialEndsAt: string | undefined = undefined
    ) =>
      (
        await store.insertSubscription(
          await signUp(store, { status, dueAt, anchorAt: dueAt, trialEndsAt }),
          'Subscribed.'
        )
      ).subscription
    const later = await make('active', due('05'))
    const trial = await make('trialing', due('04'), due('04'))
    expect(trial.trialEndsAt).toBe(due('04'))
    const earliest = await make('past_due', due('01'))
    await make('cancelled', due('02'))
    await make('ended', due('02'))
    const middle = await make('active', due('03'))
    await make('active', due('20'))
    const now = due('10')
    expect(await other.dueSubscriptions(now, 100)).toEqual([earliest, middle, trial, later])
    expect(await store.dueSubscriptions(now, 2)).toEqual([earliest, middle])
    expect(await store.dueSubscriptions(due('01'), 100)).toEqual([earliest])
    expect(await store.dueSubscriptions('1989-12-31T00:00:00.000Z', 100)).toEqual([])
    // cancelled, it is due no more
    await other.changeSubscription(middle, cancelChange)
    expect(await store.dueSubscriptions(now, 100)).toEqual([earliest, trial, later])
  })

  it('finds a subscription by its token', async () => {
    const [store, other] = stores()
    const { subscription } = await store.insertSubscription(await signUp(store), 'Subscribed.')
    expect(await other.findSubscriptionByToken(subscription.tokenId)).toEqual(subscription)
    expect(await other.findSubscriptionByToken('token_missing')).toBeUndefined()
  })

  it('lists subscriptions newest first, a page at a time below a cursor, by status', async () => {
    const [store, other] = stores()
    // callerReferences sort as they were made, as the signer's sortable ids do
    const prefix = `sub_list_${Math.random().toString(36).slice(2)}_`
    const made: Subscription[] = []
    for (const [n, status] of (['active', 'cancelled', 'active', 'past_due'] as const).entries()) {
      const fresh = await signUp(store, { callerReference: `${prefix}${n + 1}`, status })
      made.push((await store.insertSubscription(fresh, 'Subscribed.')).subscription)
    }
    const [one, two, three, four] = made
    const above = `${prefix}9`
    expect(await other.listSubscriptions({ before: above, limit: 2 })).toEqual([four, three])
    expect(await other.listSubscriptions({ before: three!.callerReference, limit: 2 })).toEqual([
      two,
      one,
    ])
    const mine = (page: Subscription[]) =>
      page.filter((subscription) => subscription.callerReference.startsWith(prefix))
    const active = await store.listSubscriptions({ status: 'active', before: above, limit: 500 })
    expect(mine(active)).toEqual([three, one])
    expect(active.every((subscription) => subscription.status === 'active')).toBe(true)
    const cancelled = await store.listSubscriptions({ status: 'cancelled', limit: 500 })
    expect(mine(cancelled)).toEqual([two])
    expect((await store.listSubscriptions({ limit: 500 })).length).toBeGreaterThanOrEqual(4)
  })

  it("stores a period's order with the subscription's token and the order it charges for", async () => {
    const [store, other] = stores()
    const { subscription } = await store.insertSubscription(await signUp(store), 'Subscribed.')
    const period = newOrder({
      callerReference: `${subscription.callerReference}-2-1`,
      status: 'pending',
      tokenId: subscription.tokenId,
      periodOf: subscription.callerReference,
      checkoutUrl: '',
    })
    // two processes ordering the same period: one stores it, the other finds it taken
    const race = await Promise.all([store.insertOrder(period), other.insertOrder(period)])
    expect(race.filter(Boolean)).toHaveLength(1)
    const inserted = race.find(Boolean)
    expect(inserted).toMatchObject({
      callerReference: period.callerReference,
      status: 'pending',
      tokenId: subscription.tokenId,
      periodOf: subscription.callerReference,
    })
    expect(await other.getOrder(period.callerReference)).toEqual(inserted)
    expect(await other.history(period.callerReference)).toEqual([
      expect.objectContaining({ at: T0, status: 'pending' }),
    ])
    const plain = await store.insertOrder(newOrder())
    expect(plain?.tokenId).toBeUndefined()
    expect(plain?.periodOf).toBeUndefined()
  })
}
