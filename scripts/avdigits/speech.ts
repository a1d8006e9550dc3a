/**
 * Spoken digits from espeak-ng. A "speaker" is an accent voice plus a voice variant (+m1, +f2, ...);
 * speed and pitch vary per utterance on top of that.
 */
import { execFileSync } from 'node:child_process';
import { BuildError } from './errors.js';
import { parseWav, type Wave } from '../../src/features/wav.js';

export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;

export interface VoiceSpec {
  /** espeak-ng voice name, e.g. 'en-us'. */
  accent: string;
  /** espeak-ng variant, e.g. 'm3' or 'f2'. */
  variant: string;
  /** Words per minute (-s). */
  speed: number;
  /** 0..99 (-p). */
  pitch: number;
}

export function synthesize(word: string, voice: VoiceSpec): Wave {
  const args = ['-v', `${voice.accent}+${voice.variant}`, '-s', String(voice.speed), '-p', String(voice.pitch), '--stdout', word];
  let bytes: Buffer;
  try {
    bytes = execFileSync('espeak-ng', args, { maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new BuildError('ESPEAK_FAILED', `espeak-ng ${args.join(' ')} failed (is espeak-ng installed?): ${why}`);
  }
  return parseWav(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), `espeak-ng output for '${args.join(' ')}'`);
}

/**
 * The word without leading and trailing silence: espeak-ng pads utterances, and the padding would
 * eat into the clip and make the random shift smaller than it claims to be.
 */
export function trimSilence(samples: Float32Array, relativeThreshold = 0.02): Float32Array {
  let peak = 0;
  for (const s of samples) peak = Math.max(peak, Math.abs(s));
  if (peak === 0) return samples.subarray(0, 0);
  const threshold = peak * relativeThreshold;
  let first = 0;
  while (first < samples.length && Math.abs(samples[first]!) < threshold) first++;
  let last = samples.length - 1;
  while (last > first && Math.abs(samples[last]!) < threshold) last--;
  return samples.subarray(first, last + 1);
}

export function rms(samples: Float32Array): number {
  let acc = 0;
  for (const s of samples) acc += s * s;
  return samples.length === 0 ? 0 : Math.sqrt(acc / samples.length);
}
