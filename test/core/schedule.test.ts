import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onlineSchedule, CoreError } from '../../src/core/index.js';

const pairs = (total: number, warmup: number, every: number): number[][] =>
  onlineSchedule(total, warmup, every).map((s) => [s.start, s.length]);

test('warm-up then equal super-epochs', () => {
  assert.deepEqual(pairs(30, 10, 5), [[0, 10], [10, 5], [15, 5], [20, 5], [25, 5]]);
});

test('a last, shorter super-epoch takes what is left', () => {
  assert.deepEqual(pairs(12, 10, 5), [[0, 10], [10, 2]]);
  assert.deepEqual(pairs(23, 10, 5), [[0, 10], [10, 5], [15, 5], [20, 3]]);
});

test('total at or below the warm-up gives one super-epoch', () => {
  assert.deepEqual(pairs(7, 10, 5), [[0, 7]]);
  assert.deepEqual(pairs(10, 10, 5), [[0, 10]]);
  assert.deepEqual(pairs(1, 1, 1), [[0, 1]]);
});

test('lengths always add up to the total', () => {
  for (const [t, w, e] of [[30, 10, 5], [31, 3, 7], [100, 1, 9]] as const) {
    const s = onlineSchedule(t, w, e);
    assert.equal(s.reduce((acc, x) => acc + x.length, 0), t);
    for (let i = 1; i < s.length; i++) assert.equal(s[i]!.start, s[i - 1]!.start + s[i - 1]!.length);
  }
});

test('non-positive or fractional arguments throw bad_schedule', () => {
  const bad = [[0, 10, 5], [30, 0, 5], [30, 10, 0], [-3, 1, 1], [30, 2.5, 5], [Number.NaN, 10, 5], [30, 10, Infinity]];
  for (const [t, w, e] of bad) {
    assert.throws(() => onlineSchedule(t!, w!, e!), (err) => err instanceof CoreError && err.code === 'bad_schedule');
  }
});
