/**
 * Reading 16-bit PCM mono WAV: what espeak-ng writes for the avdigits build, and what a person uploads
 * to the exported page. With --stdout espeak-ng cannot seek back, so its RIFF and data sizes are
 * placeholders (0x7fffffff): sizes are clamped to the bytes present. Pure: bytes in, samples out.
 */
import { UserError } from '../core/user-error.js';

/** A WAV file gblend cannot read; the message names the file. */
export class WavError extends UserError {
  constructor(file: string, reason: string) {
    super('bad_wav', `${file}: ${reason}`);
  }
}

export interface Wave {
  sampleRate: number;
  /** Samples scaled to [-1, 1). */
  samples: Float32Array;
}

function tag(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/** `file` names the bytes in errors. */
export function parseWav(bytes: Uint8Array, file = 'WAV data'): Wave {
  if (bytes.length < 12 || tag(bytes, 0) !== 'RIFF' || tag(bytes, 8) !== 'WAVE') {
    throw new WavError(file, 'not a RIFF/WAVE file');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let sampleRate = 0;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(bytes, at);
    const size = Math.min(view.getUint32(at + 4, true), bytes.length - at - 8);
    const body = at + 8;
    if (id === 'fmt ') {
      const format = view.getUint16(body, true);
      const channels = view.getUint16(body + 2, true);
      const bits = view.getUint16(body + 14, true);
      if (format !== 1 || channels !== 1 || bits !== 16) {
        throw new WavError(file, `field 'fmt ': expected 16-bit PCM mono, got format ${format}, ${channels} ch, ${bits} bit`);
      }
      sampleRate = view.getUint32(body + 4, true);
    } else if (id === 'data') {
      if (sampleRate === 0) throw new WavError(file, "'data' chunk before 'fmt ' chunk");
      const n = size >> 1;
      const samples = new Float32Array(n);
      for (let i = 0; i < n; i++) samples[i] = view.getInt16(body + 2 * i, true) / 32768;
      return { sampleRate, samples };
    }
    at = body + size + (size & 1); // chunks are padded to even length
  }
  throw new WavError(file, "no 'data' chunk");
}
