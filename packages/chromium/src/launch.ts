import { existsSync } from 'node:fs'
import { type Browser, chromium, type LaunchOptions } from 'playwright-core'

/** Flags for this closed network: nothing may reach out, so every background fetch is off. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/** The system Chromium: `CHROME_PATH`, else Debian's; `npm run check` installs it when missing. */
function chromiumPath(): string {
  const path = process.env.CHROME_PATH || '/usr/bin/chromium'
  if (!existsSync(path))
    throw new Error(`No Chromium at ${path}: install Debian's chromium or set CHROME_PATH.`)
  return path
}

/** Launches the system Chromium headless; `options` add to the launch (never replace the flags). */
export function launchChromium(
  options: Omit<LaunchOptions, 'executablePath'> = {}
): Promise<Browser> {
  return chromium.launch({
    ...options,
    executablePath: chromiumPath(),
    args: [...ARGS, ...(options.args ?? [])],
  })
}
