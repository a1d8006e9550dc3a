/**
 * Band-limited resampling by windowed-sinc interpolation. espeak-ng speaks at 22050 Hz; the
 * dataset works at 8 kHz, and naive decimation would fold the 4-11 kHz fricative energy of
 * "six"/"seven" back into the mel bands.
 */

/** Zero crossings of the sinc kept on each side of the centre: longer is sharper and slower. */
const ZEROS = 16;

export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  const ratio = fromRate / toRate;
  // Cut a little below the lower Nyquist so the transition band stays out of the passband edge.
  const cutoff = 0.45 * Math.min(1, toRate / fromRate); // cycles per input sample
  const halfWidth = ZEROS / (2 * cutoff);
  const outLength = Math.floor(input.length / ratio);
  const out = new Float32Array(outLength);
  for (let n = 0; n < outLength; n++) {
    const centre = n * ratio;
    const lo = Math.max(0, Math.ceil(centre - halfWidth));
    const hi = Math.min(input.length - 1, Math.floor(centre + halfWidth));
    let acc = 0;
    for (let k = lo; k <= hi; k++) {
      const t = k - centre;
      const x = 2 * cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const window = 0.5 + 0.5 * Math.cos((Math.PI * t) / halfWidth); // Hann, 1 at the centre
      acc += input[k]! * 2 * cutoff * sinc * window;
    }
    out[n] = acc;
  }
  return out;
}
