/** OGM-GE's coefficients (core/ogm.ts) against values computed by hand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ogmCoefficients } from '../../src/core/ogm.js';

const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

test('two modalities: the one ahead gets 1 - tanh(alpha * ratio), the other 1 (Eq. 10)', () => {
  const { ratio, coefficient } = ogmCoefficients({ audio: 6, visual: 3 }, 0.5);
  close(ratio.audio!, 2);
  close(ratio.visual!, 0.5);
  close(coefficient.audio!, 1 - Math.tanh(1)); // 0.2384058440442351
  close(coefficient.audio!, 0.2384058440442351);
  assert.equal(coefficient.visual, 1);
});

test('equal scores: ratio 1, nobody is modulated', () => {
  const { coefficient } = ogmCoefficients({ a: 2.5, b: 2.5 }, 0.8);
  assert.deepEqual(coefficient, { a: 1, b: 1 });
});

test('three modalities: each against the mean of the others', () => {
  const { ratio, coefficient } = ogmCoefficients({ a: 4, b: 2, c: 2 }, 0.1);
  close(ratio.a!, 2); // 4 / mean(2, 2)
  close(ratio.b!, 2 / 3); // 2 / mean(4, 2)
  close(coefficient.a!, 1 - Math.tanh(0.2));
  assert.equal(coefficient.b, 1);
  assert.equal(coefficient.c, 1);
});

test('no confidence elsewhere: the confident modality is stopped, 0/0 is left alone', () => {
  assert.equal(ogmCoefficients({ a: 3, b: 0 }, 0.5).coefficient.a, 0);
  assert.deepEqual(ogmCoefficients({ a: 0, b: 0 }, 0.5).coefficient, { a: 1, b: 1 });
});
