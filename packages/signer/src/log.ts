/** Where log lines go: one JSON object per line. */
export type LogSink = (line: string) => void

/** Structured fields of a log line. */
export type LogFields = Record<string, unknown>

/** A logger whose bound fields (the request id, for one) appear on every line it writes. */
export interface Logger {
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
  child(fields: LogFields): Logger
}

/**
 * Writes JSON lines to `sink` (stdout by default). Errors become their name, code and message, never
 * their stack: a stack names the server's files, and log lines leave the machine.
 */
export function createLogger(sink: LogSink = writeStdout, bound: LogFields = {}): Logger {
  return new JsonLogger(sink, bound)
}

/**
 * A logger is one object with its methods on the prototype, so each request's `child()` is one
 * allocation (not four closures), and a line copies its fields only when one of them is an error.
 */
class JsonLogger implements Logger {
  readonly #sink: LogSink
  readonly #bound: LogFields

  constructor(sink: LogSink, bound: LogFields) {
    this.#sink = sink
    this.#bound = bound
  }

  info(message: string, fields?: LogFields): void {
    this.#write('info', message, fields)
  }

  warn(message: string, fields?: LogFields): void {
    this.#write('warn', message, fields)
  }

  error(message: string, fields?: LogFields): void {
    this.#write('error', message, fields)
  }

  child(fields: LogFields): Logger {
    return new JsonLogger(this.#sink, { ...this.#bound, ...fields })
  }

  #write(level: string, message: string, fields: LogFields | undefined): void {
    this.#sink(
      JSON.stringify({
        time: new Date().toISOString(),
        level,
        msg: message,
        ...this.#bound,
        ...(fields && serialize(fields)),
      })
    )
  }
}

/** The fields as they are, or a copy with each error described when there is one. */
function serialize(fields: LogFields): LogFields {
  for (const name in fields) {
    if (fields[name] instanceof Error) return describeErrors(fields)
  }
  return fields
}

function describeErrors(fields: LogFields): LogFields {
  const out: LogFields = {}
  for (const [name, value] of Object.entries(fields)) {
    out[name] = value instanceof Error ? describeError(value) : value
  }
  return out
}

function describeError(error: Error): LogFields {
  const code = (error as { code?: unknown }).code
  return {
    name: error.name,
    ...(code === undefined ? {} : { code }),
    message: error.message,
    ...(error.cause instanceof Error ? { cause: describeError(error.cause) } : {}),
  }
}

function writeStdout(line: string): void {
  process.stdout.write(`${line}\n`)
}
