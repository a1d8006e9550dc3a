/** Writing 16-bit PCM mono WAV files for tests, and a test "utterance" that is the same on every run. */

export function wavBytes(samples: Float32Array, sampleRate: number): Uint8Array {
  const out = new Uint8Array(44 + 2 * samples.length);
  const view = new DataView(out.buffer);
  const text = (at: number, s: string): void => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + 2 * samples.length, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, 2 * sampleRate, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, 2 * samples.length, true);
  samples.forEach((v, i) => view.setInt16(44 + 2 * i, Math.max(-32768, Math.min(32767, Math.round(v * 32767))), true));
  return out;
}

/** 1.2 s at `sampleRate`: a gliding two-tone "word" in the middle, with seeded noise around it. */
export function testUtterance(sampleRate: number): Float32Array {
  const n = Math.round(1.2 * sampleRate);
  const out = new Float32Array(n);
  let seed = 12345;
  const noise = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.02;
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const word = t > 0.35 && t < 0.8 ? Math.sin(Math.PI * (t - 0.35) / 0.45) : 0;
    out[i] = noise() + 0.3 * word * (Math.sin(2 * Math.PI * (300 + 400 * t) * t) + 0.5 * Math.sin(2 * Math.PI * 1200 * t));
  }
  return out;
}
