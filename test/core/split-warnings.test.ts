/** classWarnings by hand: which classes are empty, or missing from a side of the split. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classWarnings } from '../../src/core/split-warnings.js';

const classes = ['x', 'y', 'z'];

test('every class on every side: nothing to say', () => {
  assert.deepEqual(classWarnings([0, 1, 2, 0, 1, 2, 0, 1, 2], classes, { train: [0, 1, 2], val: [3, 4, 5], test: [6, 7, 8] }), []);
});

test('an empty class, and a class missing from test', () => {
  const labels = [0, 1, 0, 1, 0, 1];
  const w = classWarnings(labels, classes, { train: [0, 1, 5], val: [2, 3], test: [4] });
  assert.deepEqual(w, [
    "class 'z' has no examples",
    "class 'y' has too few examples for the split (e.g. 'y': 3 examples, none in test); a class needs at least one example in training, V and test",
  ]);
});

test('one class only', () => {
  assert.match(classWarnings([2, 2, 2], classes, { train: [0], val: [1], test: [2] })[0]!, /one class only \('z' of 3\)/);
});
