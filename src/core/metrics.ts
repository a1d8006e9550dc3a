/**
 * Classification metrics on plain arrays. Scores are row-major [examples x numClasses].
 * Ties always go to the lower class index, so results do not depend on sort stability.
 */
import { CoreError } from './errors.js';

function rowCount(scores: Float32Array, numClasses: number): number {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new CoreError('bad_metric_input', `numClasses must be a positive integer, got ${numClasses}`);
  }
  if (scores.length % numClasses !== 0) {
    throw new CoreError('bad_metric_input',
      `${scores.length} scores do not form rows of ${numClasses} classes`);
  }
  return scores.length / numClasses;
}

function checkClass(value: number, numClasses: number, what: string, i: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= numClasses) {
    throw new CoreError('bad_metric_input', `${what} ${value} of example ${i} is not a class in 0..${numClasses - 1}`);
  }
}

function checkPair(pred: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (pred.length !== labels.length) {
    throw new CoreError('bad_metric_input', `${pred.length} predictions for ${labels.length} labels`);
  }
  if (labels.length === 0) throw new CoreError('bad_metric_input', 'no examples to score');
}

/** Index of the highest score per row (lowest index among equals). */
export function argmaxRows(scores: Float32Array, numClasses: number): Int32Array {
  const rows = rowCount(scores, numClasses);
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * numClasses;
    let best = 0;
    for (let c = 1; c < numClasses; c++) {
      if (scores[base + c]! > scores[base + best]!) best = c;
    }
    out[r] = best;
  }
  return out;
}

/**
 * 1 where the label is among the k highest scores of its row. The label's rank is the number of
 * classes ahead of it: a higher score, or an equal score at a lower index.
 */
export function topKCorrect(
  scores: Float32Array,
  numClasses: number,
  labels: ArrayLike<number>,
  k: number,
): Uint8Array {
  const rows = rowCount(scores, numClasses);
  if (labels.length !== rows) throw new CoreError('bad_metric_input', `${labels.length} labels for ${rows} rows`);
  if (!Number.isInteger(k) || k < 1) throw new CoreError('bad_metric_input', `k must be a positive integer, got ${k}`);
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const label = labels[r]!;
    checkClass(label, numClasses, 'label', r);
    const base = r * numClasses;
    const own = scores[base + label]!;
    let ahead = 0;
    for (let c = 0; c < numClasses; c++) {
      const s = scores[base + c]!;
      if (s > own || (s === own && c < label)) ahead++;
    }
    out[r] = ahead < k ? 1 : 0;
  }
  return out;
}

export function accuracy(pred: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkPair(pred, labels);
  let hits = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) hits++;
  return hits / labels.length;
}

/** Rows are true classes, columns predicted classes: m[label][pred] counts examples. */
export function confusionMatrix(pred: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): number[][] {
  checkPair(pred, labels);
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new CoreError('bad_metric_input', `numClasses must be a positive integer, got ${numClasses}`);
  }
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) {
    checkClass(labels[i]!, numClasses, 'label', i);
    checkClass(pred[i]!, numClasses, 'prediction', i);
    m[labels[i]!]![pred[i]!]!++;
  }
  return m;
}

/**
 * Mean per-class F1 = 2tp / (2tp + fp + fn) over the classes that occur in labels or predictions
 * (a class absent from both says nothing about the model); F1 is 0 when tp is 0.
 */
export function macroF1(pred: ArrayLike<number>, labels: ArrayLike<number>, numClasses: number): number {
  const m = confusionMatrix(pred, labels, numClasses);
  let sum = 0;
  let present = 0;
  for (let c = 0; c < numClasses; c++) {
    const tp = m[c]![c]!;
    let rowSum = 0;
    let colSum = 0;
    for (let j = 0; j < numClasses; j++) {
      rowSum += m[c]![j]!;
      colSum += m[j]![c]!;
    }
    if (rowSum === 0 && colSum === 0) continue;
    present++;
    // fn = rowSum - tp, fp = colSum - tp, so 2tp + fp + fn = rowSum + colSum.
    sum += tp === 0 ? 0 : (2 * tp) / (rowSum + colSum);
  }
  return sum / present;
}
