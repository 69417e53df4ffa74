import type { SignerSettings } from '@fps-checkout/signer'
import { type SignerProcess, startSignerProcess } from '@fps-checkout/signer/testing'

/** The signer process running now, and which one it is (1 for the first started). */
export interface Running {
  url: string
  generation: number
}

/**
 * One signer process after another on the same settings (the same database): whoever talks to
 * the signer asks for the one running, and after losing a connection to a killed one, waits for
 * the next.
 */
export class SignerLives {
  /** How long each process took to start listening (ms). */
  readonly starts: number[] = []
  private child: SignerProcess | undefined
  private generation = 0
  private started: () => void = () => undefined
  private next = this.nextStart()

  constructor(
    private readonly settings: SignerSettings,
    private readonly log: (line: string) => void
  ) {}

  /** The URL of the running process, or undefined between a kill and the next start. */
  get url(): string | undefined {
    return this.child?.url
  }

  /** Starts the next process; the one before must be gone. */
  async start(): Promise<void> {
    if (this.child) throw new Error('A signer process is running already.')
    const began = performance.now()
    this.child = await startSignerProcess(this.settings, this.log)
    this.starts.push(performance.now() - began)
    this.generation += 1
    const wake = this.started
    this.next = this.nextStart()
    wake()
  }

  /** kill -9 of the running process, resolved once it is gone. */
  async kill(): Promise<void> {
    const child = this.child
    this.child = undefined
    await child?.kill()
  }

  /** The process running, if it is newer than `after`; else the next one, once it listens. */
  async running(after = 0): Promise<Running> {
    while (!this.child || this.generation <= after) await this.next
    return { url: this.child.url, generation: this.generation }
  }

  private nextStart(): Promise<void> {
    return new Promise((resolve) => {
      this.started = resolve
    })
  }
}
