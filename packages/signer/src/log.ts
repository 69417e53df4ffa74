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
  const write = (level: string, message: string, fields: LogFields = {}) => {
    sink(
      JSON.stringify({
        time: new Date().toISOString(),
        level,
        msg: message,
        ...bound,
        ...serialize(fields),
      })
    )
  }
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (fields) => createLogger(sink, { ...bound, ...fields }),
  }
}

function serialize(fields: LogFields): LogFields {
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
