/**
 * Seeded, stratified splits (method.md section 2): V (held out from training, stands in for the
 * true distribution), T' (a training subset of V's size on which LT is measured) and, for datasets
 * that ship without one, the test split. Outputs are sorted index lists so they read well in logs.
 */
import { CoreError } from './errors.js';
import { createRng, type Rng } from './rng.js';

export interface TrainSplits {
  /** Training data minus V: what every model trains on. */
  train: number[];
  /** V: held-out part of the training set. */
  val: number[];
  /** T': random subset of `train`, same size as V. */
  probe: number[];
}

function checkOpenFraction(fraction: number, name: string): void {
  if (!(fraction > 0 && fraction < 1)) {
    throw new CoreError('bad_split', `${name} must lie strictly between 0 and 1, got ${fraction}`);
  }
}

/** Groups indices by label; classes come back in ascending label order, members ascending. */
function groupByClass(labels: ArrayLike<number>, indices: number[]): Map<number, number[]> {
  const sorted = [...indices].sort((a, b) => a - b);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < sorted.length; i++) {
    const idx = sorted[i]!;
    if (!Number.isInteger(idx) || idx < 0 || idx >= labels.length) {
      throw new CoreError('bad_split', `index ${idx} is not an example index (0..${labels.length - 1})`);
    }
    if (i > 0 && sorted[i - 1] === idx) throw new CoreError('bad_split', `index ${idx} appears twice`);
    const label = labels[idx]!;
    if (!Number.isFinite(label)) throw new CoreError('bad_split', `label of example ${idx} is ${label}`);
    const members = groups.get(label);
    if (members) members.push(idx);
    else groups.set(label, [idx]);
  }
  return new Map([...groups.entries()].sort((a, b) => a[0] - b[0]));
}

/**
 * How many of a class to pick: round(fraction * count), but at least one and at most count - 1
 * for a class of two or more, so such a class is present on both sides; a single example stays
 * in `rest`, where it can still be trained on.
 */
function pickCount(count: number, fraction: number): number {
  if (fraction === 0 || count < 2) return 0;
  return Math.min(count - 1, Math.max(1, Math.round(fraction * count)));
}

/**
 * Picks a stratified random `fraction` of `indices` (by `labels[index]`). The result does not
 * depend on the order of `indices`, only on their set, the labels and the rng's stream.
 */
export function stratifiedSample(
  labels: ArrayLike<number>,
  indices: number[],
  fraction: number,
  rng: Rng,
): { picked: number[]; rest: number[] } {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new CoreError('bad_split', `fraction must lie in [0, 1), got ${fraction}`);
  }
  const picked: number[] = [];
  const rest: number[] = [];
  for (const members of groupByClass(labels, indices).values()) {
    const n = pickCount(members.length, fraction);
    rng.shuffle(members);
    for (let i = 0; i < members.length; i++) (i < n ? picked : rest).push(members[i]!);
  }
  const ascending = (a: number, b: number): number => a - b;
  return { picked: picked.sort(ascending), rest: rest.sort(ascending) };
}

/** V (stratified, `valFraction` of `trainIndices`), the rest to train on, and T' (size of V). */
export function makeTrainSplits(
  labels: ArrayLike<number>,
  trainIndices: number[],
  valFraction: number,
  seed: number,
): TrainSplits {
  checkOpenFraction(valFraction, 'valFraction');
  const rng = createRng(seed);
  const { picked: val, rest: train } = stratifiedSample(labels, trainIndices, valFraction, rng.fork('val'));
  if (val.length === 0) {
    throw new CoreError('bad_split',
      `validation set V would be empty: no class among ${trainIndices.length} training examples has 2 or more examples`);
  }
  if (train.length < val.length) {
    throw new CoreError('bad_split', {
      key: 'valFraction',
      rest: ` ${valFraction} leaves ${train.length} training examples, fewer than |V| = ${val.length}, so T' cannot have V's size`,
    });
  }
  const probe = rng.fork('probe').shuffle([...train]).slice(0, val.length).sort((a, b) => a - b);
  return { train, val, probe };
}

/**
 * A stratified random subset of about `count` training examples (each class round(count x its share),
 * at least one), drawn from `seed`: a smaller training set per seed, where overfitting shows.
 */
export function subsampleTrain(labels: ArrayLike<number>, trainIndices: number[], count: number, seed: number): number[] {
  if (!Number.isInteger(count) || count < 2) throw new CoreError('bad_split', `trainExamples must be an integer of at least 2, got ${count}`);
  if (count > trainIndices.length) {
    throw new CoreError('bad_split', { key: 'trainExamples', rest: ` ${count} is more than the ${trainIndices.length} training examples` });
  }
  if (count === trainIndices.length) return [...trainIndices].sort((a, b) => a - b);
  const rng = createRng(seed).fork('subset');
  const picked: number[] = [];
  const fraction = count / trainIndices.length;
  for (const members of groupByClass(labels, trainIndices).values()) {
    rng.shuffle(members);
    picked.push(...members.slice(0, Math.min(members.length, Math.max(1, Math.round(fraction * members.length)))));
  }
  return picked.sort((a, b) => a - b);
}

/** A stratified train/test split of all examples, for datasets that come without one. */
export function makeTestSplit(
  labels: ArrayLike<number>,
  testFraction: number,
  seed: number,
): { train: number[]; test: number[] } {
  checkOpenFraction(testFraction, 'testFraction');
  const all = Array.from({ length: labels.length }, (_, i) => i);
  const { picked: test, rest: train } = stratifiedSample(labels, all, testFraction, createRng(seed).fork('test'));
  if (test.length === 0 || train.length === 0) {
    throw new CoreError('bad_split',
      `test split of ${labels.length} examples would leave an empty ${test.length === 0 ? 'test' : 'train'} set ` +
      '(each class needs 2 or more examples to be split)');
  }
  return { train, test };
}
