/**
 * Warnings about a dataset's classes that do not stop training but make its numbers weak or
 * misleading: labels that use one class only (or leave classes empty), and classes too small to
 * appear on every side of the split (train, V, test). Pure: labels and splits in, sentences out.
 */

export interface SplitSides {
  train: readonly number[];
  val: readonly number[];
  test: readonly number[];
}

const MAX_NAMED = 5;

function named(classes: readonly string[], indices: number[]): string {
  const shown = indices.slice(0, MAX_NAMED).map((k) => `'${classes[k]}'`).join(', ');
  return indices.length > MAX_NAMED ? `${shown}, ... (${indices.length} in all)` : shown;
}

function countBy(labels: ArrayLike<number>, rows: readonly number[], classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (const r of rows) counts[labels[r]!]!++;
  return counts;
}

export function classWarnings(labels: ArrayLike<number>, classes: readonly string[], sides: SplitSides): string[] {
  const k = classes.length;
  const total = countBy(labels, Array.from({ length: labels.length }, (_, i) => i), k);
  const used = total.flatMap((n, c) => (n > 0 ? [c] : []));
  const empty = total.flatMap((n, c) => (n === 0 ? [c] : []));
  const warnings: string[] = [];
  if (used.length === 1) {
    warnings.push(`the labels use one class only ('${classes[used[0]!]}' of ${k}): the model cannot learn to tell classes apart, and every score is trivial`);
  } else if (empty.length > 0) {
    warnings.push(`class${empty.length === 1 ? '' : 'es'} ${named(classes, empty)} ha${empty.length === 1 ? 's' : 've'} no examples`);
  }
  const per = (rows: readonly number[]): number[] => countBy(labels, rows, k);
  const [train, val, test] = [per(sides.train), per(sides.val), per(sides.test)];
  const small = used.filter((c) => train[c] === 0 || val[c] === 0 || test[c] === 0);
  if (small.length > 0) {
    const missing = (c: number): string => [train[c] === 0 ? 'training' : '', val[c] === 0 ? 'V' : '', test[c] === 0 ? 'test' : ''].filter(Boolean).join(', ');
    const first = small[0]!;
    warnings.push(`class${small.length === 1 ? '' : 'es'} ${named(classes, small)} ha${small.length === 1 ? 's' : 've'} too few examples for the split ` +
      `(e.g. '${classes[first]}': ${total[first]} example${total[first] === 1 ? '' : 's'}, none in ${missing(first)}); a class needs at least one example in training, V and test`);
  }
  return warnings;
}
