import { readFile } from 'node:fs/promises'
import type { Locator } from 'playwright-core'

/** A file the browser downloaded: the name the shop gave it, and its bytes. */
export interface Downloaded {
  filename: string
  body: Buffer
}

/** Follows a download link as the buyer would, and answers what the browser saved. */
export async function follow(link: Locator): Promise<Downloaded> {
  const [download] = await Promise.all([link.page().waitForEvent('download'), link.click()])
  const path = await download.path()
  return { filename: download.suggestedFilename(), body: await readFile(path) }
}

/** Whether the bytes are a WAV file: the placeholder the demo serves for a song. */
export function isWav(body: Buffer): boolean {
  return (
    body.subarray(0, 4).toString('ascii') === 'RIFF' &&
    body.subarray(8, 12).toString('ascii') === 'WAVE'
  )
}
