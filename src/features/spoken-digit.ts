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

/**
 * The level a recording is brought to before its features are computed: the middle of the range the
 * avdigits utterances were rendered at (-30..-14 dB full scale RMS over the word, scripts/avdigits/config.ts),
 * so that a quiet or a loud microphone gives spectrogram levels like those the model was trained on.
 */
export const RECORDING_LEVEL_DB = -22;

/** Features of one clip of exactly `clipSamples` samples at the feature rate. */
export function clipFeatures(clip: Float32Array, f: SpokenDigitFeatures): Uint8Array {
  return quantizeDb(logMelDb(clip, f.logMel), f.dbRange[0], f.dbRange[1]);
}

/**
 * The clip scaled so that the RMS of its word is `levelDb`. The word is taken as the 20 ms frames
 * within 20 dB of the loudest one (the avdigits build measures the RMS over the utterance alone,
 * before it adds noise). Silence stays silence.
 */
export function setLevel(clip: Float32Array, sampleRate: number, levelDb: number): Float32Array {
  const frame = Math.max(1, Math.round(sampleRate * 0.02));
  const energies: number[] = [];
  for (let start = 0; start < clip.length; start += frame) {
    let e = 0;
    for (let i = start; i < Math.min(start + frame, clip.length); i++) e += clip[i]! * clip[i]!;
    energies.push(e / Math.min(frame, clip.length - start));
  }
  const loudest = Math.max(0, ...energies);
  if (loudest === 0) return clip;
  const voiced = energies.filter((e) => e >= loudest / 100);
  const rms = Math.sqrt(voiced.reduce((a, b) => a + b, 0) / voiced.length);
  const gain = 10 ** (levelDb / 20) / rms;
  return clip.map((v) => v * gain);
}

/**
 * A recording of any length and rate cut to one clip: resampled to the feature rate, then the
 * `clipSamples` window with the most energy (where the word is), zero-padded when shorter, then
 * brought to RECORDING_LEVEL_DB.
 */
export function recordingToClip(samples: Float32Array, sampleRate: number, f: SpokenDigitFeatures): Float32Array {
  return setLevel(cutToClip(samples, sampleRate, f), f.logMel.sampleRate, RECORDING_LEVEL_DB);
}

function cutToClip(samples: Float32Array, sampleRate: number, f: SpokenDigitFeatures): Float32Array {
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
