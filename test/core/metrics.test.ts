import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argmaxRows, topKCorrect, accuracy, macroF1, confusionMatrix, CoreError } from '../../src/core/index.js';

const isBad = (e: unknown): boolean => e instanceof CoreError && e.code === 'bad_metric_input';

// Three rows of three classes (values exact in float32):
//   row 0: [0.25, 0.5, 0.5]    tie between classes 1 and 2
//   row 1: [0.75, 0.75, 0.75]  all tied
//   row 2: [1, 0, -1]
const SCORES = new Float32Array([0.25, 0.5, 0.5, 0.75, 0.75, 0.75, 1, 0, -1]);

test('argmaxRows: ties go to the lower index', () => {
  assert.deepEqual([...argmaxRows(SCORES, 3)], [1, 0, 0]);
  assert.deepEqual([...argmaxRows(new Float32Array([-2, -1]), 1)], [0, 0]);
});

test('topKCorrect with ties', () => {
  // Labels all 2. Classes ahead of class 2: row 0 class 1 (equal, lower index) -> rank 1;
  // row 1 classes 0,1 -> rank 2; row 2 classes 0,1 (higher) -> rank 2.
  assert.deepEqual([...topKCorrect(SCORES, 3, [2, 2, 2], 1)], [0, 0, 0]);
  assert.deepEqual([...topKCorrect(SCORES, 3, [2, 2, 2], 2)], [1, 0, 0]);
  assert.deepEqual([...topKCorrect(SCORES, 3, [2, 2, 2], 3)], [1, 1, 1]);
  // Labels [1,0,0]: each is the tie-broken top class -> rank 0.
  assert.deepEqual([...topKCorrect(SCORES, 3, [1, 0, 0], 1)], [1, 1, 1]);
  // Label 0 of row 0 is last (0.25 below two 0.5s): rank 2.
  assert.deepEqual([...topKCorrect(SCORES, 3, [0, 1, 1], 2)], [0, 1, 1]);
  // k above the class count: everything is in the top k.
  assert.deepEqual([...topKCorrect(SCORES, 3, [0, 2, 2], 10)], [1, 1, 1]);
});

test('topKCorrect input errors', () => {
  assert.throws(() => topKCorrect(SCORES, 3, [0, 0], 1), isBad);
  assert.throws(() => topKCorrect(SCORES, 3, [0, 0, 3], 1), isBad);
  assert.throws(() => topKCorrect(SCORES, 3, [0, 0, 0], 0), isBad);
  assert.throws(() => topKCorrect(SCORES, 4, [0, 0, 0], 1), isBad);
});

// labels [0,0,1,1,2,2], pred [0,1,1,1,0,2], 4 classes (class 3 absent from both).
const LABELS = [0, 0, 1, 1, 2, 2];
const PRED = [0, 1, 1, 1, 0, 2];

test('accuracy', () => {
  // Hits at 0, 2, 3, 5: 4/6.
  assert.equal(accuracy(PRED, LABELS), 4 / 6);
  assert.equal(accuracy(new Int32Array([1, 1]), [1, 1]), 1);
  assert.throws(() => accuracy([1], [1, 2]), isBad);
  assert.throws(() => accuracy([], []), isBad);
});

test('confusionMatrix: rows are true classes, columns predictions', () => {
  assert.deepEqual(confusionMatrix(PRED, LABELS, 4), [
    [1, 1, 0, 0],
    [0, 2, 0, 0],
    [1, 0, 1, 0],
    [0, 0, 0, 0],
  ]);
  assert.throws(() => confusionMatrix([4], [0], 4), isBad);
  assert.throws(() => confusionMatrix([0], [-1], 4), isBad);
});

test('macroF1 by hand', () => {
  // class 0: tp 1, fp 1 (ex 4), fn 1 (ex 1) -> 2/(2+1+1) = 1/2
  // class 1: tp 2, fp 1 (ex 1), fn 0        -> 4/(4+1)   = 4/5
  // class 2: tp 1, fp 0, fn 1 (ex 4)        -> 2/(2+0+1) = 2/3
  // class 3 absent: skipped. Mean (1/2 + 4/5 + 2/3) / 3 = (15 + 24 + 20) / 90 = 59/90.
  assert.ok(Math.abs(macroF1(PRED, LABELS, 4) - 59 / 90) < 1e-15);
  // A class only predicted counts with F1 0: labels [0,0,1], pred [0,3,1]:
  // class 0: tp 1, fn 1 -> 2/3; class 1: 1; class 3: tp 0 -> 0; class 2 absent. (2/3 + 1 + 0)/3 = 5/9.
  assert.ok(Math.abs(macroF1([0, 3, 1], [0, 0, 1], 4) - 5 / 9) < 1e-15);
  assert.equal(macroF1([2, 2], [2, 2], 3), 1);
});
