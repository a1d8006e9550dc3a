import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarize, meanStd, CoreError } from '../../src/core/index.js';

test('summarize: population variance', () => {
  // [1,2,3,4]: mean 2.5; deviations -1.5,-0.5,0.5,1.5 -> squares 2.25+0.25+0.25+2.25 = 5; 5/4 = 1.25.
  assert.deepEqual(summarize([1, 2, 3, 4]), { mean: 2.5, variance: 1.25, count: 4 });
  // 0/1 errors [0,1,1,1]: mean 0.75, variance p(1-p) = 0.1875.
  assert.deepEqual(summarize(new Float32Array([0, 1, 1, 1])), { mean: 0.75, variance: 0.1875, count: 4 });
  assert.deepEqual(summarize([5]), { mean: 5, variance: 0, count: 1 });
});

test('meanStd: sample standard deviation', () => {
  // [2,4,6]: mean 4; squares 4+0+4 = 8; 8/(3-1) = 4; std 2.
  assert.deepEqual(meanStd([2, 4, 6]), { mean: 4, std: 2 });
  // [1,3]: mean 2; squares 1+1 = 2; 2/1 = 2; std sqrt 2.
  assert.deepEqual(meanStd([1, 3]), { mean: 2, std: Math.SQRT2 });
  assert.deepEqual(meanStd([7]), { mean: 7, std: 0 });
});

test('empty input throws', () => {
  assert.throws(() => summarize([]), (e) => e instanceof CoreError && e.code === 'empty_input');
  assert.throws(() => meanStd([]), (e) => e instanceof CoreError && e.code === 'empty_input');
});
