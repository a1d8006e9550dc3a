/** The features shared by the avdigits build and the exported page: hand-checkable cases. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downsample2x2, inkToDigit, inkToMnist } from '../../src/features/handwritten-digit.js';
import { AVDIGITS_AUDIO_FEATURES, clipFeatures, recordingToClip } from '../../src/features/spoken-digit.js';
import { parseWav } from '../../src/features/wav.js';
import { wavBytes } from '../helpers/wav.js';

test('downsample2x2: block means rounded half up', () => {
  assert.deepEqual(Array.from(downsample2x2([0, 1, 2, 3, 10, 10, 10, 11], 2, 4)), [5, 7]); // (21 + 2) >> 2, (26 + 2) >> 2
});

test('inkToMnist: a drawing is scaled into a 20-pixel box and centred by its centre of mass', () => {
  const ink = new Float32Array(100 * 100);
  for (let y = 10; y < 30; y++) for (let x = 60; x < 100; x++) ink[y * 100 + x] = 1; // a 40x20 bar, top right
  const img = inkToMnist(ink, 100, 100);
  const inked = [...img.keys()].filter((i) => img[i]! > 127);
  const xs = inked.map((i) => i % 28);
  const ys = inked.map((i) => Math.floor(i / 28));
  assert.deepEqual([Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)], [4, 23, 9, 18]); // 20 wide, 10 high, centred
  assert.equal(inkToDigit(ink, 100, 100).length, 196);
  assert.deepEqual(Array.from(inkToDigit(new Float32Array(100), 10, 10)), new Array(196).fill(0));
});

test('recordingToClip: a short sound is centred; a long one keeps its loudest second', () => {
  const f = AVDIGITS_AUDIO_FEATURES;
  const short = recordingToClip(new Float32Array(4000).fill(0.5), 8000, f);
  assert.equal(short.length, 8000);
  assert.deepEqual([short[1999], short[2000], short[5999], short[6000]], [0, 0.5, 0.5, 0]);
  const long = new Float32Array(24000);
  long.fill(0.9, 15000, 17000);
  const clip = recordingToClip(long, 8000, f);
  assert.equal(clip.reduce((a, b) => a + b, 0).toFixed(1), (0.9 * 2000).toFixed(1));
  assert.equal(clipFeatures(clip, f).length, f.logMel.frames * f.logMel.melBands);
});

test('parseWav names the file and the field it cannot read', () => {
  const bytes = wavBytes(new Float32Array(10), 8000);
  assert.equal(parseWav(bytes, 'a.wav').samples.length, 10);
  bytes[22] = 2; // stereo
  assert.throws(() => parseWav(bytes, 'a.wav'), /^WavError: a\.wav: field 'fmt ': expected 16-bit PCM mono, got format 1, 2 ch, 16 bit$/);
  assert.throws(() => parseWav(new Uint8Array(4), 'b.wav'), /b\.wav: not a RIFF\/WAVE file/);
});
