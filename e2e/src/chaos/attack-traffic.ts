import { setTimeout as sleep } from 'node:timers/promises'
import type { Store } from '@fps-checkout/signer'
import { type Harness, RETURN_URL } from '@fps-checkout/signer/testing'
import { type Figure, none } from '../figures.js'
import type { Adversary } from './adversary.js'
import type { Mismatch } from './reconcile.js'
import { type Random, seeded } from './seed.js'
import type { SignerLog } from './signer-log.js'

/** What the attacker sends about an order it saw checked out, one kind per finding of the review. */
export const ATTACKS = {
  foreign_return: 'a genuine FPS return (SA) from the attacker’s own pipeline for the order',
  foreign_cancel: 'a genuine FPS abort return (A) from the attacker’s own pipeline for it',
  foreign_ipn: 'a genuine IPN about the attacker’s own Pay under the order’s callerReference',
  forged_ipn: 'a SUCCESS or FAILURE IPN signed with the attacker’s key, planted on an FPS page',
  forged_return: 'an SA or A return signed likewise',
} as const

export type AttackKind = keyof typeof ATTACKS

const KINDS = Object.keys(ATTACKS) as AttackKind[]

/** Where the attacker finds the merchant's signer, read at every send: a restarted one moves. */
export interface Target {
  signerUrl(): string
  /** The URL the signer verifies IPNs against, where FPS delivers the IPNs a Pay names. */
  ipnUrl(): string
}

/** One attacker message and what came of it at the door (the order's state is judged later). */
export interface Sent {
  kind: AttackKind
  callerReference: string
  /** The signer's status code; `fps` when FPS delivers it; `unreachable` when no signer answered. */
  answer: number | 'fps' | 'unreachable'
  /** The attacker's token (foreign returns) or transaction (foreign IPNs). */
  tokenId?: string
  transactionId?: string
}

/** Whom the attacker targets, how much it sends, and where the signer's log is read. */
export interface TrafficOptions {
  target: Target
  /** Decides which sightings are attacked, with which kinds and variants (the run's `runSeed`). */
  seed: number
  /** The share of sighted checkouts it sends something about. */
  share: number
  /** Messages about each of those (kinds in turn); default 1. */
  perOrder?: number
  /** Messages in flight at once; default 2. */
  lanes?: number
  /** The signer's log: what became of the genuine IPNs FPS delivered for the attacker. */
  log: SignerLog
}

/** How the signer logs a notification it verified and then refused to bind, and one it deferred. */
const UNBOUND = 'notification not bound to this caller'
const DEFERRED = 'notification deferred: its operation has no answer yet'

/**
 * The attacker's side of a chaos run: the buyers report every checkout (`sighted`), and for a
 * seeded share of them the attacker sends cross-caller returns and IPNs and forged-certificate
 * messages about that order while its buyer is still paying. Which sightings are attacked, with
 * which kinds and variants, depends on the seed alone; the kinds take turns.
 */
export class AttackerTraffic {
  readonly sent: Sent[] = []
  /** Attacks that could not be sent (the attacker's own tooling failing), for the report. */
  readonly failures: string[] = []
  private readonly random: Random
  private readonly queue: (() => Promise<void>)[] = []
  private running = 0
  private planned = 0
  private plantedKey: Promise<string> | undefined

  constructor(
    private readonly h: Harness,
    private readonly mallory: Adversary,
    private readonly options: TrafficOptions
  ) {
    this.random = seeded(options.seed)
  }

  /** A checkout the attacker saw; it decides at once whether, and how, to attack it. */
  readonly sighted = (callerReference: string): void => {
    if (this.random() >= this.options.share) return
    for (let i = 0; i < (this.options.perOrder ?? 1); i++) {
      const n = this.planned++
      const variant = this.random() < 0.5
      this.queue.push(() => this.attack(n, callerReference, variant))
    }
    this.pump()
  }

  /** Resolves once every message planned so far has been sent. */
  async done(): Promise<void> {
    while (this.running > 0 || this.queue.length > 0) await sleep(20)
  }

  /**
   * The attacker's messages whose order then disagreed with the merchant's ledger (one of
   * `mismatches`), was gone, or held a token or transaction that is not the merchant's.
   */
  async accepted(store: Store, mismatches: readonly Mismatch[]): Promise<Sent[]> {
    const { state } = this.h.sandbox
    const merchant = state.credentials.get(this.h.key.accessKeyId)?.accountId
    const wrong = new Set(mismatches.map((mismatch) => mismatch.callerReference))
    const moved = new Set<string>()
    for (const callerReference of new Set(this.sent.map((sent) => sent.callerReference))) {
      const order = await store.getOrder(callerReference)
      const token = order?.tokenId === undefined ? undefined : state.tokens.get(order.tokenId)
      const charge =
        order?.transactionId === undefined ? undefined : state.transactions.get(order.transactionId)
      if (
        !order ||
        wrong.has(callerReference) ||
        (token && token.callerAccountId !== merchant) ||
        (charge && charge.callerAccountId !== merchant)
      )
        moved.add(callerReference)
    }
    return this.sent.filter((sent) => moved.has(sent.callerReference))
  }

  /**
   * What the signer did with each genuine IPN FPS delivered for the attacker, by its log: verified
   * and left unbound (with the reason), only deferred while the order's own Pay was unanswered (FPS
   * gave up resending first), or unheard (no signer was up to take it, or the one that took it was
   * killed before its log line was read).
   */
  foreignIpnFates(): Map<string, string> {
    const heard = (message: string) =>
      new Map(this.options.log.said(message).map((line) => [line.transactionId, line.reason]))
    const unbound = heard(UNBOUND)
    const deferred = heard(DEFERRED)
    const fates = new Map<string, string>()
    for (const { kind, transactionId } of this.sent) {
      if (kind !== 'foreign_ipn' || transactionId === undefined) continue
      const reason = unbound.get(transactionId)
      fates.set(
        transactionId,
        reason ? `unbound (${reason})` : deferred.has(transactionId) ? 'deferred' : 'unheard'
      )
    }
    return fates
  }

  /** `<run>_attacker_messages` (by kind and answer) and `<run>_attacker_accepted` (target 0). */
  figures(run: string, accepted: readonly Sent[]): Figure[] {
    const fates = this.foreignIpnFates()
    const answers = new Map<string, number>()
    const inOrder = [...this.sent].sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind))
    for (const { kind, answer, transactionId } of inOrder) {
      const key = `${kind} ${fates.get(transactionId ?? '') ?? answer}`
      answers.set(key, (answers.get(key) ?? 0) + 1)
    }
    return [
      {
        name: `${run}_attacker_messages`,
        value: this.sent.length,
        unit: 'messages',
        note: [...answers].map(([key, count]) => `${key} ×${count}`).join(', '),
      },
      none(
        `${run}_attacker_accepted`,
        accepted.length,
        'messages',
        'attacker messages whose order then disagreed with the ledger or held a foreign token'
      ),
    ]
  }

  private pump(): void {
    const lanes = this.options.lanes ?? 2
    while (this.running < lanes && this.queue.length > 0) {
      const next = this.queue.shift() as () => Promise<void>
      this.running += 1
      void next()
        .catch((error: Error) => {
          this.failures.push(error.message)
        })
        .finally(() => {
          this.running -= 1
          this.pump()
        })
    }
  }

  /** The attacker's `n`th message, about `callerReference`; `variant` picks SUCCESS or SA. */
  private async attack(n: number, callerReference: string, variant: boolean) {
    const kind = KINDS[n % KINDS.length] as AttackKind
    const record = (answer: Sent['answer'], ids: Pick<Sent, 'tokenId' | 'transactionId'> = {}) =>
      this.sent.push({ kind, callerReference, answer, ...ids })
    switch (kind) {
      case 'foreign_return':
      case 'foreign_cancel': {
        const cancel = kind === 'foreign_cancel'
        const query = await this.mallory.foreignReturn(callerReference, { cancel })
        const tokenId = new URLSearchParams(query).get('tokenID')
        record(await this.postReturn(query), tokenId ? { tokenId } : {})
        return
      }
      case 'foreign_ipn': {
        const ipnUrl = this.options.target.ipnUrl()
        const transactionId = await this.mallory.foreignPay(callerReference, ipnUrl, '0.10')
        record('fps', { transactionId })
        return
      }
      case 'forged_ipn': {
        // the worst case: the attacker knows the merchant's own transaction id for the order
        const charge = this.merchantCharge(callerReference)
        const transactionStatus = variant ? 'SUCCESS' : 'FAILURE'
        const ipnUrl = this.options.target.ipnUrl()
        const body = this.mallory.forge(
          'POST',
          ipnUrl,
          {
            notificationType: 'TransactionStatus',
            transactionId: charge?.id ?? `forged-${n}`,
            transactionStatus,
            statusCode: variant ? 'Success' : 'TransientFailure',
            operation: 'PAY',
            callerReference,
            transactionAmount: `USD ${((charge?.amount ?? 100) / 100).toFixed(2)}`,
          },
          await this.certificateUrl()
        )
        record(await this.post('/ipn', 'application/x-www-form-urlencoded', body))
        return
      }
      case 'forged_return': {
        const params: Record<string, string> = variant
          ? {
              status: 'SA',
              callerReference,
              tokenID: `forged-${n}`,
              expiry: '12/2030',
            }
          : { status: 'A', callerReference }
        const query = this.mallory.forge('GET', RETURN_URL, params, await this.certificateUrl())
        record(await this.postReturn(query))
        return
      }
    }
  }

  private merchantCharge(callerReference: string) {
    const { state } = this.h.sandbox
    const merchant = state.credentials.get(this.h.key.accessKeyId)?.accountId
    return [...state.transactions.values()].find(
      (txn) => txn.callerAccountId === merchant && txn.callerReference === callerReference
    )
  }

  private certificateUrl(): Promise<string> {
    this.plantedKey ??= this.mallory.plantedKeyUrl()
    return this.plantedKey
  }

  private postReturn(query: string) {
    return this.post('/return', 'application/json', JSON.stringify({ query }))
  }

  /** A POST to wherever the signer is now; while none answers (killed), again for up to 2 s. */
  private async post(path: string, type: string, body: string): Promise<Sent['answer']> {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        const response = await fetch(`${this.options.target.signerUrl()}${path}`, {
          method: 'POST',
          headers: { 'content-type': type },
          body,
        })
        await response.body?.cancel()
        return response.status
      } catch {
        await sleep(200)
      }
    }
    return 'unreachable'
  }
}
