/**
 * One audio example: an utterance placed at a random time in a fixed-length clip, at a random
 * level, buried in white noise at a chosen SNR. The same utterance rendered twice would give two
 * different clips, but the default build renders each utterance once (see `reuse` in config.ts).
 */
import { gaussian, type Rng } from './rng.js';
import { rms } from './speech.js';

export interface ClipOptions {
  length: number;
  /** SNR in dB of the utterance (over its own duration) to the noise. */
  snrDb: number;
  /** Level of the utterance, as the RMS in dB full scale, before noise. */
  levelDb: number;
}

/**
 * The utterance starts at a uniformly random offset that keeps it inside the clip; if it is
 * longer than the clip its middle is kept.
 */
export function renderClip(utterance: Float32Array, opts: ClipOptions, rng: Rng): Float32Array {
  const out = new Float32Array(opts.length);
  let word = utterance;
  if (word.length > opts.length) {
    const cut = (word.length - opts.length) >> 1;
    word = word.subarray(cut, cut + opts.length);
  }
  const offset = Math.floor(rng() * (opts.length - word.length + 1));
  const level = rms(word);
  const gain = level === 0 ? 0 : 10 ** (opts.levelDb / 20) / level;
  for (let i = 0; i < word.length; i++) out[offset + i] = word[i]! * gain;
  const noiseSigma = 10 ** ((opts.levelDb - opts.snrDb) / 20);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! + noiseSigma * gaussian(rng);
  return out;
}
