/** The paired comparison (core/paired.ts) against values computed by hand and from t tables. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairedComparison, regularizedBeta, studentTwoSided } from '../../src/core/paired.js';

const close = (a: number, b: number, tol = 1e-9): void => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('the t distribution: closed forms and table values', () => {
  // One degree of freedom is Cauchy: P(|T| >= 1) = 1/2. Two: p = 1 - t / sqrt(t^2 + 2).
  close(studentTwoSided(1, 1), 0.5);
  close(studentTwoSided(1, 2), 1 - 1 / Math.sqrt(3));
  close(studentTwoSided(3, 2), 1 - 3 / Math.sqrt(11));
  // Two-sided 5% critical values from t tables (4 and 9 degrees of freedom).
  close(studentTwoSided(2.776445, 4), 0.05, 1e-6);
  close(studentTwoSided(2.262157, 9), 0.05, 1e-6);
  close(studentTwoSided(0, 5), 1);
  assert.equal(studentTwoSided(Infinity, 3), 0);
  // I_x(1, 1) = x; I_x(a, b) = 1 - I_{1-x}(b, a).
  close(regularizedBeta(0.3, 1, 1), 0.3);
  close(regularizedBeta(0.8, 2.5, 0.5), 1 - regularizedBeta(0.2, 0.5, 2.5));
});

test('paired: differences, their spread, t, p, wins and losses', () => {
  // d = 1, 2, 3: mean 2, std 1, t = 2 / (1 / sqrt 3) = 2 sqrt 3, p from 2 degrees of freedom.
  const r = pairedComparison([11, 12, 13], [10, 10, 10]);
  assert.equal(r.n, 3);
  close(r.meanDiff, 2);
  close(r.stdDiff, 1);
  close(r.t!, 2 * Math.sqrt(3));
  close(r.p!, 1 - (2 * Math.sqrt(3)) / Math.sqrt(12 + 2));
  assert.deepEqual([r.wins, r.losses], [3, 0]);
  const mixed = pairedComparison([1, 0, 2], [0, 1, 2]);
  assert.deepEqual([mixed.wins, mixed.losses], [1, 1]);
  close(mixed.p!, 1);
});

test('paired: one seed has no test; identical differences have no spread; mismatched seeds are an error', () => {
  assert.deepEqual(pairedComparison([0.9], [0.8]).t, null);
  assert.equal(pairedComparison([2, 3], [1, 2]).p, 0);
  assert.equal(pairedComparison([2, 3], [2, 3]).p, 1);
  assert.throws(() => pairedComparison([1, 2], [1]), /same seeds/);
});
