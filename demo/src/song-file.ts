import type { Song } from './songs.js'

const SAMPLE_RATE = 8000

/** The file a buyer downloads: its name, and a second of a 440 Hz tone standing in for the song. */
export function songFile(song: Song): { filename: string; body: Uint8Array<ArrayBuffer> } {
  const data = Buffer.alloc(SAMPLE_RATE)
  for (let i = 0; i < data.length; i++)
    data[i] = Math.round(128 + 64 * Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE))
  // a canonical 44-byte WAV header: PCM, mono, 8-bit unsigned samples
  const header = Buffer.alloc(44)
  header.write('RIFF', 0, 'ascii')
  header.writeUInt32LE(36 + data.length, 4)
  header.write('WAVEfmt ', 8, 'ascii')
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20)
  header.writeUInt16LE(1, 22)
  header.writeUInt32LE(SAMPLE_RATE, 24)
  header.writeUInt32LE(SAMPLE_RATE, 28)
  header.writeUInt16LE(1, 32)
  header.writeUInt16LE(8, 34)
  header.write('data', 36, 'ascii')
  header.writeUInt32LE(data.length, 40)
  const body = new Uint8Array(header.length + data.length)
  body.set(header)
  body.set(data, header.length)
  return { filename: `${song.title} - ${song.artist}.wav`, body }
}
