/**
 * Spoken digit input: upload a sound file or record one. WAV (16-bit PCM mono) is read by the same
 * parser as the dataset build; other formats and recordings go through the browser's decoder. The
 * log-mel features come from src/features/spoken-digit.ts, the code that made the dataset's spectrograms.
 */
import { AVDIGITS_AUDIO_FEATURES, recordingFeatures } from '../../features/spoken-digit.js';
import { parseWav, WavError, type Wave } from '../../features/wav.js';
import { el } from './dom.js';
import { paintPreview } from './draw-input.js';

const RECORD_MS = 1500;

async function decode(bytes: ArrayBuffer, name: string): Promise<Wave> {
  try {
    return parseWav(new Uint8Array(bytes), name);
  } catch (err) {
    if (!(err instanceof WavError)) throw err;
  }
  // Not 16-bit PCM mono WAV: let the browser decode it (MP3, OGG, stereo or float WAV, a recording).
  const context = new AudioContext();
  try {
    const buffer = await context.decodeAudioData(bytes.slice(0));
    const mono = new Float32Array(buffer.length);
    for (let c = 0; c < buffer.numberOfChannels; c++) buffer.getChannelData(c).forEach((v, i) => (mono[i] += v / buffer.numberOfChannels));
    return { sampleRate: buffer.sampleRate, samples: mono };
  } catch {
    throw new Error(`${name}: not a sound file this browser can read`);
  } finally {
    await context.close();
  }
}

async function record(): Promise<ArrayBuffer> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  const recorder = new MediaRecorder(stream);
  const chunks: Blob[] = [];
  recorder.addEventListener('dataavailable', (e) => chunks.push(e.data));
  const stopped = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve()));
  recorder.start();
  setTimeout(() => recorder.stop(), RECORD_MS);
  await stopped;
  stream.getTracks().forEach((t) => t.stop());
  return new Blob(chunks).arrayBuffer();
}

export function audioInput(onChange: (features: Uint8Array | null) => void, onError: (message: string) => void): HTMLElement {
  const { frames, melBands } = AVDIGITS_AUDIO_FEATURES.logMel;
  const file = el('input', { type: 'file', id: 'audio-file', accept: 'audio/*,.wav' });
  const recordButton = el('button', { type: 'button', id: 'record' }, `Record ${RECORD_MS / 1000} s`);
  const status = el('span', { id: 'audio-status', class: 'small' }, 'no sound yet');
  const preview = el('canvas', { id: 'audio-preview', class: 'preview', title: `what the model sees: log-mel spectrogram, ${frames} frames × ${melBands} bands` });
  paintPreview(preview, new Uint8Array(frames * melBands), frames, melBands, false);

  const use = async (bytes: ArrayBuffer, name: string): Promise<void> => {
    try {
      const wave = await decode(bytes, name);
      const features = recordingFeatures(wave.samples, wave.sampleRate);
      // Frames run down the array; show time left to right, low bands at the bottom.
      const shown = new Uint8Array(frames * melBands);
      for (let t = 0; t < frames; t++) for (let m = 0; m < melBands; m++) shown[(melBands - 1 - m) * frames + t] = features[t * melBands + m]!;
      paintPreview(preview, shown, melBands, frames, false);
      status.textContent = `${name}: ${(wave.samples.length / wave.sampleRate).toFixed(2)} s at ${wave.sampleRate} Hz`;
      onChange(features);
    } catch (err) {
      onError((err as Error).message);
    }
  };
  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f !== undefined) void f.arrayBuffer().then((b) => use(b, f.name));
  });
  recordButton.addEventListener('click', () => {
    status.textContent = 'recording… say a digit';
    record().then((b) => use(b, 'recording'), (err: Error) => onError(`recording: ${err.message}`));
  });
  const clear = el('button', { type: 'button', id: 'clear-audio' }, 'Clear');
  clear.addEventListener('click', () => {
    file.value = '';
    status.textContent = 'no sound yet';
    paintPreview(preview, new Uint8Array(frames * melBands), frames, melBands, false);
    onChange(null);
  });
  return el('div', { class: 'input-box' }, el('h3', {}, 'Say a digit'),
    el('p', {}, 'Upload a recording (WAV, or any format the browser plays) or record one. Short and clear works best: the model heard 1 s clips of synthetic voices.'),
    el('div', { class: 'row' }, file), el('div', { class: 'row' }, recordButton, clear),
    el('div', { class: 'row' }, el('span', { class: 'small' }, 'model input:'), preview), status);
}
