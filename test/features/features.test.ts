/** The features shared by the avdigits build and the exported page: hand-checkable cases. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downsample2x2, inkToDigit, inkToMnist } from '../../src/features/handwritten-digit.js';
import { AVDIGITS_AUDIO_FEATURES, clipFeatures, RECORDING_LEVEL_DB, recordingFeatures, recordingToClip, setLevel } from '../../src/features/spoken-digit.js';
import { DEFAULT_AUDIO } from '../../scripts/avdigits/config.js';
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

test('recordingToClip: a short sound is centred; a long one keeps its loudest second; both at the training level', () => {
  const f = AVDIGITS_AUDIO_FEATURES;
  const level = 10 ** (RECORDING_LEVEL_DB / 20);
  // Sounds that fill whole 20 ms frames (160 samples) once in the clip, so their level is exact.
  const short = recordingToClip(new Float32Array(3200).fill(0.5), 8000, f);
  assert.equal(short.length, 8000);
  assert.deepEqual([short[2399], short[2400], short[5599], short[5600]].map((v) => v.toFixed(6)), [0, level, level, 0].map((v) => v.toFixed(6)));
  const long = new Float32Array(24000);
  long.fill(0.9, 15000, 16920);
  const clip = recordingToClip(long, 8000, f);
  assert.equal(clip.reduce((a, b) => a + b, 0).toFixed(2), (level * 1920).toFixed(2));
  assert.equal(clipFeatures(clip, f).length, f.logMel.frames * f.logMel.melBands);
  assert.deepEqual(Array.from(recordingToClip(new Float32Array(9000), 8000, f)), new Array(8000).fill(0), 'silence stays silence');
});

test('setLevel: a quiet and a loud take of one recording give the same features; the level is the middle of the training range', () => {
  const f = AVDIGITS_AUDIO_FEATURES;
  // A 0.4 s tone with a quiet hum around it: the level is set from the tone (the word), not the hum.
  const take = new Float32Array(12000).map((_, i) => 0.001 * Math.sin(i / 3) + (i >= 4000 && i < 7200 ? 0.3 * Math.sin(i / 5) : 0));
  // Powers of two, so that the scaling itself is exact and the features must agree byte for byte.
  const quiet = take.map((v) => v / 128);
  const loud = take.map((v) => v * 4);
  assert.deepEqual(Array.from(recordingFeatures(quiet, 8000, f)), Array.from(recordingFeatures(loud, 8000, f)));
  const clip = setLevel(take.slice(0, 8000), 8000, -22);
  const word = clip.subarray(4000, 7200);
  assert.ok(Math.abs(20 * Math.log10(Math.sqrt(word.reduce((a, v) => a + v * v, 0) / word.length)) + 22) < 0.05);
  assert.equal(RECORDING_LEVEL_DB, (DEFAULT_AUDIO.levelDb[0] + DEFAULT_AUDIO.levelDb[1]) / 2);
});

test('parseWav names the file and the field it cannot read', () => {
  const bytes = wavBytes(new Float32Array(10), 8000);
  assert.equal(parseWav(bytes, 'a.wav').samples.length, 10);
  bytes[22] = 2; // stereo
  assert.throws(() => parseWav(bytes, 'a.wav'), /^WavError: a\.wav: field 'fmt ': expected 16-bit PCM mono, got format 1, 2 ch, 16 bit$/);
  assert.throws(() => parseWav(new Uint8Array(4), 'b.wav'), /b\.wav: not a RIFF\/WAVE file/);
});
