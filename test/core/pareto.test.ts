/** MMPareto's two-gradient weights (core/pareto.ts) against values computed by hand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paretoWeights } from '../../src/core/pareto.js';

const dot = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);
const weightsOf = (gm: number[], gu: number[]) => paretoWeights({ mm: dot(gm, gm), uu: dot(gu, gu), mu: dot(gm, gu) });
const close = (a: number, b: number): void => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

test('agreeing gradients (cosine > 0): equal weights', () => {
  const w = weightsOf([1, 0], [1, 1]);
  assert.equal(w.conflict, false);
  assert.deepEqual([w.alphaM, w.alphaU], [0.5, 0.5]);
  close(w.cosine, 1 / Math.SQRT2);
});

test('conflicting gradients: the min-norm point of the segment, computed by hand', () => {
  // g_m = (1, 0), g_u = (-1, 1): |g_m - g_u|^2 = 5, (g_u - g_m).g_u = 2 + 1 = 3, alpha_m = 3/5.
  const w = weightsOf([1, 0], [-1, 1]);
  assert.equal(w.conflict, true);
  close(w.alphaM, 0.6);
  close(w.alphaU, 0.4);
  // The combination 0.6 g_m + 0.4 g_u = (0.2, 0.4) is orthogonal to g_m - g_u = (2, -1): minimal norm.
  close(dot([0.6 * 1 + 0.4 * -1, 0.4 * 1], [2, -1]), 0);
});

test('orthogonal gradients count as a conflict (cosine 0 is not > 0), and weigh by length', () => {
  // g_m = (2, 0), g_u = (0, 1): alpha_m = 1 / 5, pulling towards the shorter gradient.
  const w = weightsOf([2, 0], [0, 1]);
  assert.equal(w.conflict, true);
  close(w.alphaM, 0.2);
});

test('opposite gradients: the combination vanishes; a zero gradient keeps equal weights', () => {
  const w = weightsOf([1, 0], [-0.1, 0]);
  close(w.alphaM * 1 + w.alphaU * -0.1, 0);
  assert.deepEqual(weightsOf([0, 0], [1, 2]), { cosine: 0, conflict: false, alphaM: 0.5, alphaU: 0.5 });
});
