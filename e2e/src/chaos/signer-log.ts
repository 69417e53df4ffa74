/** One JSON line of the signer's log, as much of it as the runs read. */
export interface LogLine {
  msg?: string
  reason?: string
  transactionId?: string
  callerReference?: string
}

/**
 * The signer's log lines of one run, kept in memory: what became of the attacker's genuine IPNs
 * (only the log tells an IPN ignored from one refused), and the story of an order that went wrong.
 */
export class SignerLog {
  readonly lines: string[] = []

  /** The `log` sink to give the signer (or the lines a signer process prints). */
  readonly sink = (line: string): void => {
    this.lines.push(line)
  }

  /** The parsed lines with this message. */
  said(message: string): LogLine[] {
    return this.lines
      .filter((line) => line.includes(message))
      .flatMap((line) => parse(line) ?? [])
      .filter((line) => line.msg === message)
  }

  /** The lines that name `text` (a callerReference, a transaction id), at most `count`. */
  naming(text: string, count = 40): string[] {
    return this.lines.filter((line) => line.includes(text)).slice(0, count)
  }
}

/** A line's fields; undefined for a line a killed process left half written. */
function parse(line: string): LogLine | undefined {
  try {
    return JSON.parse(line) as LogLine
  } catch {
    return undefined
  }
}
