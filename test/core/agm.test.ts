/** AGM's scales (core/agm.ts) against values computed by hand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agmCoefficients, updateRunning } from '../../src/core/agm.js';

const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

test('ratios exp(2 (mean - s)) now and on the running scores; scale exp(alpha (running - now))', () => {
  // Scores 0.5 and 1.5: mean 1, ratios e and 1/e; running scores 0 and 0: running ratios 1.
  const { ratio, runningRatio, coefficient } = agmCoefficients({ a: 0.5, b: 1.5 }, { a: 0, b: 0 }, 0.5);
  close(ratio.a!, Math.E);
  close(ratio.b!, 1 / Math.E);
  assert.deepEqual(runningRatio, { a: 1, b: 1 });
  close(coefficient.a!, Math.exp(0.5 * (1 - Math.E))); // a learns faster than usual: slowed
  close(coefficient.b!, Math.exp(0.5 * (1 - 1 / Math.E))); // b slower: sped up
});

test('alpha 0, or a modality as fast as usual, leaves the gradient alone', () => {
  assert.deepEqual(agmCoefficients({ a: 0.5, b: 1.5 }, { a: 0.2, b: 0.9 }, 0).coefficient, { a: 1, b: 1 });
  const same = agmCoefficients({ a: 0.4, b: 0.8 }, { a: 0.4, b: 0.8 }, 2).coefficient;
  close(same.a!, 1);
  close(same.b!, 1);
});

test('the running scores are the mean over every step so far', () => {
  assert.deepEqual(updateRunning({ a: 0, b: 0 }, { a: 0.6, b: 1.2 }, 0), { a: 0.6, b: 1.2 });
  const r = updateRunning({ a: 0.2, b: 0.4 }, { a: 1, b: 2 }, 1);
  close(r.a!, 0.6);
  close(r.b!, 1.2);
});
