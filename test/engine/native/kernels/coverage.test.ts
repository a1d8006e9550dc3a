/** Every kernel the native backend registers has an op-level case against cpu. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NATIVE_KERNEL_NAMES } from '../../../../src/engine/native/index.js';
import { mathCases } from './math-cases.js';
import { nnCases } from './nn-cases.js';
import { shapeCases } from './shape-cases.js';

test('every native kernel has an equivalence case (each case checks its kernels really ran)', () => {
  const covered = new Set([...mathCases, ...shapeCases, ...nnCases].flatMap((c) => c.kernels));
  const missing = NATIVE_KERNEL_NAMES.filter((k) => !covered.has(k));
  assert.deepEqual(missing, [], `kernels without a case: ${missing.join(', ')}`);
  const unknown = [...covered].filter((k) => !NATIVE_KERNEL_NAMES.includes(k));
  assert.deepEqual(unknown, [], `cases name kernels the backend does not register: ${unknown.join(', ')}`);
});
