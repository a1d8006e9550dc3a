/**
 * Log-mel spectrogram in plain TypeScript: Hann-windowed frames, FFT power, triangular mel
 * filters, decibels, then a fixed linear map to uint8. Everything the model sees of the audio is
 * decided here, so the scales are explicit options and end up in dataset.json.
 */
import { powerSpectrum } from './fft.js';

export interface LogMelOptions {
  sampleRate: number;
  /** FFT length and window length, a power of two. */
  nFft: number;
  /** Samples between frame centres. */
  hop: number;
  frames: number;
  melBands: number;
  fMin: number;
  fMax: number;
}

/** Periodic Hann window (the usual choice for spectral analysis: it tiles at hop = n/2). */
export function hannWindow(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

export function hzToMel(hz: number): number {
  return 2595 * Math.log10(1 + hz / 700);
}

export function melToHz(mel: number): number {
  return 700 * (10 ** (mel / 2595) - 1);
}

/**
 * Triangular filters on FFT bins 0..nFft/2, centres equally spaced in mel (HTK formula).
 * Each filter's weights sum to 1, so a band's value is the mean power density in it and white
 * noise reads the same in every band: the noise floor is flat, and the speech stands out of it.
 */
export function melFilterbank(opts: Pick<LogMelOptions, 'sampleRate' | 'nFft' | 'melBands' | 'fMin' | 'fMax'>): Float64Array[] {
  const bins = opts.nFft / 2 + 1;
  const lo = hzToMel(opts.fMin);
  const hi = hzToMel(opts.fMax);
  const edges: number[] = [];
  for (let m = 0; m < opts.melBands + 2; m++) edges.push(melToHz(lo + ((hi - lo) * m) / (opts.melBands + 1)));
  const binHz = opts.sampleRate / opts.nFft;
  const filters: Float64Array[] = [];
  for (let m = 0; m < opts.melBands; m++) {
    const [left, centre, right] = [edges[m]!, edges[m + 1]!, edges[m + 2]!];
    const f = new Float64Array(bins);
    let sum = 0;
    for (let k = 0; k < bins; k++) {
      const hz = k * binHz;
      const v = hz <= left || hz >= right ? 0 : hz <= centre ? (hz - left) / (centre - left) : (right - hz) / (right - centre);
      f[k] = v;
      sum += v;
    }
    // A filter narrower than one bin would be empty: fall back to the nearest bin.
    if (sum === 0) {
      f[Math.min(bins - 1, Math.round(centre / binHz))] = 1;
      sum = 1;
    }
    for (let k = 0; k < bins; k++) f[k] = f[k]! / sum;
    filters.push(f);
  }
  return filters;
}

/**
 * Mel band power in dB, frames x bands, row-major. Frame t is centred on sample t*hop + hop/2
 * and zero-padded past the signal's ends. Power is divided by the window's energy, so white noise
 * of variance s^2 reads about 10*log10(s^2) dB in every band.
 */
export function logMelDb(signal: Float32Array, opts: LogMelOptions): Float32Array {
  const window = hannWindow(opts.nFft);
  const windowEnergy = window.reduce((a, b) => a + b * b, 0);
  const filters = melFilterbank(opts);
  const out = new Float32Array(opts.frames * opts.melBands);
  const frame = new Float64Array(opts.nFft);
  for (let t = 0; t < opts.frames; t++) {
    const start = t * opts.hop + opts.hop / 2 - opts.nFft / 2;
    for (let i = 0; i < opts.nFft; i++) {
      const s = start + i;
      frame[i] = s >= 0 && s < signal.length ? signal[s]! * window[i]! : 0;
    }
    const power = powerSpectrum(frame);
    for (let m = 0; m < opts.melBands; m++) {
      const f = filters[m]!;
      let e = 0;
      for (let k = 0; k < power.length; k++) e += f[k]! * power[k]!;
      out[t * opts.melBands + m] = 10 * Math.log10(e / windowEnergy + 1e-10);
    }
  }
  return out;
}

/** dB -> uint8 by u = round(255 * (dB - lo) / (hi - lo)), clipped to 0..255. */
export function quantizeDb(db: Float32Array, lo: number, hi: number): Uint8Array {
  const out = new Uint8Array(db.length);
  const scale = 255 / (hi - lo);
  for (let i = 0; i < db.length; i++) out[i] = Math.min(255, Math.max(0, Math.round((db[i]! - lo) * scale)));
  return out;
}
