/**
 * What the model sees of a spoken avdigits digit: a 1 s clip at 8 kHz as a quantised log-mel
 * spectrogram (frames x mel bands, uint8). The dataset build (scripts/avdigits) and the exported web
 * page both call `clipFeatures`, so a recording in the page is turned into features exactly as the
 * training data was. Pure and browser-safe.
 */
import { logMelDb, quantizeDb, type LogMelOptions } from './logmel.js';
import { resample } from './resample.js';

export interface SpokenDigitFeatures {
  /** Samples per clip, at logMel.sampleRate. */
  clipSamples: number;
  logMel: LogMelOptions;
  /** dB range mapped linearly onto uint8 0..255. */
  dbRange: readonly [number, number];
}

/** The avdigits audio features, as dataset.json describes them. */
export const AVDIGITS_AUDIO_FEATURES: SpokenDigitFeatures = {
  clipSamples: 8000,
  logMel: { sampleRate: 8000, nFft: 512, hop: 400, frames: 20, melBands: 20, fMin: 60, fMax: 3800 },
  dbRange: [-45, 10],
};

/** Features of one clip of exactly `clipSamples` samples at the feature rate. */
export function clipFeatures(clip: Float32Array, f: SpokenDigitFeatures): Uint8Array {
  return quantizeDb(logMelDb(clip, f.logMel), f.dbRange[0], f.dbRange[1]);
}

/**
 * A recording of any length and rate cut to one clip: resampled to the feature rate, then the
 * `clipSamples` window with the most energy (where the word is), zero-padded when shorter.
 */
export function recordingToClip(samples: Float32Array, sampleRate: number, f: SpokenDigitFeatures): Float32Array {
  const audio = sampleRate === f.logMel.sampleRate ? samples : resample(samples, sampleRate, f.logMel.sampleRate);
  const clip = new Float32Array(f.clipSamples);
  if (audio.length <= f.clipSamples) {
    clip.set(audio, (f.clipSamples - audio.length) >> 1);
    return clip;
  }
  // Running energy of every window, in one pass.
  let energy = 0;
  for (let i = 0; i < f.clipSamples; i++) energy += audio[i]! * audio[i]!;
  let best = 0;
  let bestEnergy = energy;
  for (let start = 1; start + f.clipSamples <= audio.length; start++) {
    energy += audio[start + f.clipSamples - 1]! ** 2 - audio[start - 1]! ** 2;
    if (energy > bestEnergy) [best, bestEnergy] = [start, energy];
  }
  clip.set(audio.subarray(best, best + f.clipSamples));
  return clip;
}

/** A recording's features: `recordingToClip`, then `clipFeatures`. */
export function recordingFeatures(samples: Float32Array, sampleRate: number, f: SpokenDigitFeatures = AVDIGITS_AUDIO_FEATURES): Uint8Array {
  return clipFeatures(recordingToClip(samples, sampleRate, f), f);
}
