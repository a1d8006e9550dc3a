/** InfoReg's pure parts (core/inforeg.ts) against values computed by hand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { informationGrowth, inPrimeWindow, regulationStrengths } from '../../src/core/inforeg.js';

const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

test('growth: 1 before any epoch; then (S - S\') / S over the last W epochs', () => {
  assert.equal(informationGrowth([], 10), 1);
  // One epoch done: S = 4, S' = 0.
  close(informationGrowth([4], 10), 1);
  // W = 2, history 1, 2, 4, 5: S = 4 + 5 = 9, S' = 2 + 4 = 6, growth 3/9.
  close(informationGrowth([1, 2, 4, 5], 2), 1 / 3);
  // W = 10 with 3 epochs: S = 1 + 2 + 4 = 7, S' = 1 + 2 = 3, growth 4/7.
  close(informationGrowth([1, 2, 4], 10), 4 / 7);
  // Flat information: no growth. Shrinking: negative.
  close(informationGrowth([3, 3, 3, 3], 2), 0);
  close(informationGrowth([4, 4, 2], 2), -1 / 3);
  assert.equal(informationGrowth([0, 0], 10), 0);
});

test('the window: open in epoch 0 and while growth exceeds the threshold', () => {
  assert.equal(inPrimeWindow([], 10, 0.04), true);
  assert.equal(inPrimeWindow([1, 2, 4, 5], 2, 0.3), true);
  assert.equal(inPrimeWindow([1, 2, 4, 5], 2, 0.34), false);
  assert.equal(inPrimeWindow([3, 3, 3], 2, 0.04), false);
  // Fewer epochs than the window: missing terms count as 0, so flat information still reads as
  // growth (1/3 here) and the window stays open for about the first W epochs, as in the authors' code.
  assert.equal(inPrimeWindow([3, 3, 3], 10, 0.04), true);
});

test('strengths: beta exp(tanh(gap)) for each modality ahead of the weakest, 0 for the weakest and ties', () => {
  const two = regulationStrengths({ audio: 30, visual: 29.5 }, 0.95);
  close(two.audio!, 0.95 * Math.exp(Math.tanh(0.5)));
  assert.equal(two.visual, 0);
  // Three modalities: each against the weakest; c ties with it.
  const three = regulationStrengths({ a: 5, b: 7, c: 5 }, 1);
  assert.deepEqual(Object.keys(three), ['a', 'b', 'c']);
  close(three.b!, Math.exp(Math.tanh(2)));
  assert.equal(three.a, 0);
  assert.equal(three.c, 0);
  assert.deepEqual(regulationStrengths({ a: 2, b: 2 }, 1), { a: 0, b: 0 });
});
