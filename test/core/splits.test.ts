import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stratifiedSample, makeTrainSplits, makeTestSplit, createRng, CoreError } from '../../src/core/index.js';

/** Labels of a dataset with `counts[c]` examples of class c, classes interleaved. */
function labelsWith(counts: number[]): number[] {
  const out: number[] = [];
  const left = [...counts];
  while (left.some((n) => n > 0)) {
    for (let c = 0; c < left.length; c++) if (left[c]! > 0) { out.push(c); left[c]!--; }
  }
  return out;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const classCounts = (labels: number[], idx: number[], k: number): number[] => {
  const c = new Array<number>(k).fill(0);
  for (const i of idx) c[labels[i]!]!++;
  return c;
};
const isBadSplit = (e: unknown): boolean => e instanceof CoreError && e.code === 'bad_split';
const sortedAsc = (a: number[]): boolean => a.every((x, i) => i === 0 || a[i - 1]! < x);

test('stratifiedSample: exact per-class counts', () => {
  const labels = labelsWith([20, 10, 5, 1]);
  const { picked, rest } = stratifiedSample(labels, range(36), 0.2, createRng(1));
  // round(0.2*20)=4, round(0.2*10)=2, round(0.2*5)=1, class of 1 example: 0.
  assert.deepEqual(classCounts(labels, picked, 4), [4, 2, 1, 0]);
  assert.deepEqual(classCounts(labels, rest, 4), [16, 8, 4, 1]);
  assert.ok(sortedAsc(picked) && sortedAsc(rest));
  assert.deepEqual([...picked, ...rest].sort((a, b) => a - b), range(36));
});

test('stratifiedSample: at least one per class of >= 2, never a whole class', () => {
  const labels = labelsWith([2, 3, 4]);
  // 0.1: round(0.2)=0 -> 1, round(0.3)=0 -> 1, round(0.4)=0 -> 1.
  assert.deepEqual(classCounts(labels, stratifiedSample(labels, range(9), 0.1, createRng(2)).picked, 3), [1, 1, 1]);
  // 0.5: round(1)=1, round(1.5)=2, round(2)=2.
  assert.deepEqual(classCounts(labels, stratifiedSample(labels, range(9), 0.5, createRng(2)).picked, 3), [1, 2, 2]);
  // 0.9: round(1.8)=2 -> capped at 1, round(2.7)=3 -> 2, round(3.6)=4 -> 3.
  assert.deepEqual(classCounts(labels, stratifiedSample(labels, range(9), 0.9, createRng(2)).picked, 3), [1, 2, 3]);
  // Fraction 0 picks nothing.
  assert.deepEqual(stratifiedSample(labels, range(9), 0, createRng(2)).picked, []);
});

test('stratifiedSample: only the given indices, independent of their order', () => {
  const labels = labelsWith([10, 10]);
  const subset = [19, 3, 4, 11, 8, 15, 0, 7, 12, 16];
  const a = stratifiedSample(labels, subset, 0.2, createRng(4));
  const b = stratifiedSample(labels, [...subset].reverse(), 0.2, createRng(4));
  assert.deepEqual(a, b);
  for (const i of [...a.picked, ...a.rest]) assert.ok(subset.includes(i));
  assert.equal(a.picked.length + a.rest.length, subset.length);
});

test('stratifiedSample: bad input throws bad_split', () => {
  const labels = [0, 1, 0, 1];
  assert.throws(() => stratifiedSample(labels, [0, 1, 2, 3], 1, createRng(1)), isBadSplit);
  assert.throws(() => stratifiedSample(labels, [0, 1, 2, 3], -0.1, createRng(1)), isBadSplit);
  assert.throws(() => stratifiedSample(labels, [0, 1, 4], 0.5, createRng(1)), isBadSplit);
  assert.throws(() => stratifiedSample(labels, [0, 1, 1], 0.5, createRng(1)), isBadSplit);
  assert.throws(() => stratifiedSample([0, Number.NaN], [0, 1], 0.5, createRng(1)), isBadSplit);
});

test('makeTrainSplits: V stratified, train = rest, T\' inside train with |T\'| = |V|', () => {
  const labels = labelsWith([50, 30, 20]);
  const trainIdx = range(100).filter((i) => i % 10 !== 0); // 90 training examples
  const s = makeTrainSplits(labels, trainIdx, 0.1, 11);
  // Labels: 0,1,2 x20 (i < 60), then 0,1 x10 (60..79), then 0 (80..99). Dropping i % 10 == 0 removes
  // 0,10,..,50 -> classes 0,1,2,0,1,2; 60,70 -> class 0; 80,90 -> class 0. Kept: 44, 28, 18.
  assert.deepEqual(classCounts(labels, trainIdx, 3), [44, 28, 18]);
  // V: round(4.4)=4, round(2.8)=3, round(1.8)=2.
  assert.deepEqual(classCounts(labels, s.val, 3), [4, 3, 2]);
  assert.equal(s.probe.length, s.val.length);
  assert.equal(s.train.length, trainIdx.length - s.val.length);
  const val = new Set(s.val);
  for (const i of s.train) assert.ok(!val.has(i));
  const train = new Set(s.train);
  for (const i of s.probe) assert.ok(train.has(i));
  assert.deepEqual([...s.train, ...s.val].sort((a, b) => a - b), trainIdx);
  assert.ok(sortedAsc(s.train) && sortedAsc(s.val) && sortedAsc(s.probe));
});

test('makeTrainSplits: hand-counted V sizes for a small set', () => {
  // 40 examples: class 0 x 25, class 1 x 15. 0.1: round(2.5)=3, round(1.5)=2 -> |V| = 5.
  const labels = labelsWith([25, 15]);
  const s = makeTrainSplits(labels, range(40), 0.1, 0);
  assert.deepEqual(classCounts(labels, s.val, 2), [3, 2]);
  assert.equal(s.train.length, 35);
  assert.equal(s.probe.length, 5);
});

test('makeTrainSplits: same seed same splits, different seeds differ', () => {
  const labels = labelsWith([100, 100]);
  assert.deepEqual(makeTrainSplits(labels, range(200), 0.1, 3), makeTrainSplits(labels, range(200), 0.1, 3));
  const a = makeTrainSplits(labels, range(200), 0.1, 3);
  const b = makeTrainSplits(labels, range(200), 0.1, 4);
  assert.notDeepEqual(a.val, b.val);
  assert.notDeepEqual(a.probe, b.probe);
});

test('makeTrainSplits: errors', () => {
  const labels = labelsWith([10, 10]);
  for (const f of [0, 1, -0.5, 1.5, Number.NaN]) assert.throws(() => makeTrainSplits(labels, range(20), f, 1), isBadSplit);
  assert.throws(() => makeTrainSplits(labels, [], 0.1, 1), isBadSplit);
  // Every class has one example: V would be empty.
  assert.throws(() => makeTrainSplits([0, 1, 2], [0, 1, 2], 0.5, 1), isBadSplit);
  // 0.7 of 10 per class: round(7)=7 -> |V| = 14 > 6 left, T' cannot match V.
  assert.throws(() => makeTrainSplits(labels, range(20), 0.7, 1), isBadSplit);
});

test('makeTestSplit: stratified, disjoint, covers everything', () => {
  // 4 classes x 10; 0.25: round(2.5) = 3 per class -> 12 test, 28 train.
  const labels = labelsWith([10, 10, 10, 10]);
  const s = makeTestSplit(labels, 0.25, 5);
  assert.deepEqual(classCounts(labels, s.test, 4), [3, 3, 3, 3]);
  assert.equal(s.train.length, 28);
  assert.deepEqual([...s.train, ...s.test].sort((a, b) => a - b), range(40));
  assert.deepEqual(makeTestSplit(labels, 0.25, 5), s);
  assert.notDeepEqual(makeTestSplit(labels, 0.25, 6).test, s.test);
});

test('makeTestSplit: errors', () => {
  assert.throws(() => makeTestSplit([0, 1, 0, 1], 0, 1), isBadSplit);
  assert.throws(() => makeTestSplit([0, 1, 0, 1], 1, 1), isBadSplit);
  assert.throws(() => makeTestSplit([0, 1, 2], 0.5, 1), isBadSplit);
  assert.throws(() => makeTestSplit([], 0.5, 1), isBadSplit);
});

test('subsampleTrain: about n, stratified, per seed; all when n is the whole; too many is an error', async () => {
  const { subsampleTrain } = await import('../../src/core/splits.js');
  // 3 classes of 10, 20, 30 among 60 training examples; 30 of them: 5, 10, 15 per class.
  const labels = [...Array(10).fill(0), ...Array(20).fill(1), ...Array(30).fill(2)];
  const all = labels.map((_, i) => i);
  const a = subsampleTrain(labels, all, 30, 1);
  assert.equal(a.length, 30);
  assert.deepEqual([0, 1, 2].map((c) => a.filter((i) => labels[i] === c).length), [5, 10, 15]);
  assert.deepEqual(subsampleTrain(labels, all, 30, 1), a, 'the same seed draws the same subset');
  assert.notDeepEqual(subsampleTrain(labels, all, 30, 2), a, 'another seed another');
  assert.deepEqual(subsampleTrain(labels, all, 60, 1), all);
  assert.throws(() => subsampleTrain(labels, all, 61, 1), /trainExamples 61 is more than the 60 training examples/);
  // The option it is about, for a caller (the CLI) to name as its user gave it.
  assert.throws(() => subsampleTrain(labels, all, 61, 1), (e: CoreError) => e.option?.key === 'trainExamples' && e.option.rest === ' 61 is more than the 60 training examples');
});
