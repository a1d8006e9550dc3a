/** PMR's pure parts (core/pmr.ts) against values computed by hand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blendPrototypes, pmrCoefficients } from '../../src/core/pmr.js';

test('two modalities: the one behind gets alpha, the one ahead 0; equal scores: nobody', () => {
  assert.deepEqual(pmrCoefficients({ audio: 6, visual: 3 }, 1.5), { ratio: { audio: 2, visual: 0.5 }, coefficient: { audio: 0, visual: 1.5 } });
  assert.deepEqual(pmrCoefficients({ a: 2, b: 2 }, 1).coefficient, { a: 0, b: 0 });
});

test('three modalities: each against the mean of the others', () => {
  // a: 1 / mean(4, 4) = 0.25 < 1; b: 4 / mean(1, 4) = 1.6; c the same as b.
  const { ratio, coefficient } = pmrCoefficients({ a: 1, b: 4, c: 4 }, 1);
  assert.deepEqual(ratio, { a: 0.25, b: 1.6, c: 1.6 });
  assert.deepEqual(coefficient, { a: 1, b: 0, c: 0 });
});

test('prototypes with momentum: fresh the first time, then (1 - m) fresh + m previous', () => {
  assert.deepEqual(blendPrototypes([1, 2], null, 0.2), [1, 2]);
  const next = blendPrototypes([1, 2], [6, 7], 0.2);
  assert.ok(Math.abs(next[0]! - 2) < 1e-12 && Math.abs(next[1]! - 3) < 1e-12, `${next}`);
});
