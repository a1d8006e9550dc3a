/**
 * Classes and labels: the checks on a class list, and the reading of one label cell (CSV) as a class
 * index. Pure.
 */
import { DataError, listForMessage, quote } from './errors.js';

export function checkClasses(classes: readonly string[], file: string, field: string | null): void {
  if (classes.length < 2) {
    throw new DataError('CLASSES', file, field, `${classes.length} class${classes.length === 1 ? '' : 'es'} given: a classifier needs at least 2`);
  }
  const seen = new Map<string, number>();
  classes.forEach((c, i) => {
    if (typeof c !== 'string' || c.length === 0) throw new DataError('CLASSES', file, field, `class ${i} must be a non-empty string`);
    const first = seen.get(c);
    if (first !== undefined) throw new DataError('CLASSES', file, field, `class name ${quote(c)} appears twice (classes ${first} and ${i})`);
    seen.set(c, i);
  });
}

const INTEGER = /^[+-]?\d+(?:\.0*)?$/; // "3" and "3.0": writers such as pandas print integer labels as floats

export type ColumnReading =
  | { ok: true; labels: Int32Array }
  | { ok: false; row: number; code: 'LABEL_RANGE' | 'LABEL_UNKNOWN_CLASS' | 'LABEL_AMBIGUOUS'; detail: string };

/**
 * Reads a CSV label column as class indices. The rule (README, "Your own data"): a column holds class
 * names or class indices 0..C-1, one kind for the whole column. It is read as names when every cell is
 * a class name, as indices when every cell is an index. When both readings work and disagree (classes
 * such as ["1", "2", "3"] with labels 1 and 2 only) the column is ambiguous, and that is an error rather
 * than a guess; when they agree (classes given as a count: names "0".."C-1") either is right.
 */
export function readLabelColumn(cells: readonly string[], classes: readonly string[]): ColumnReading {
  const byName = new Map(classes.map((c, i) => [c, i] as const));
  const asName = new Int32Array(cells.length);
  const asIndex = new Int32Array(cells.length);
  let notName = -1;
  let notIndex = -1;
  cells.forEach((raw, i) => {
    const cell = raw.trim();
    const named = byName.get(cell);
    if (named === undefined) notName = notName < 0 ? i : notName;
    else asName[i] = named;
    const index = INTEGER.test(cell) ? Number(cell) : -1;
    if (index >= 0 && index < classes.length) asIndex[i] = index;
    else notIndex = notIndex < 0 ? i : notIndex;
  });
  if (notName < 0 && notIndex < 0) {
    const row = asName.findIndex((k, i) => k !== asIndex[i]);
    if (row < 0) return { ok: true, labels: asName };
    const cell = cells[row]!.trim();
    return { ok: false, row, code: 'LABEL_AMBIGUOUS', detail: `label ${quote(cell)} could be the class named ${quote(cell)} (class ${asName[row]}) or class index ${asIndex[row]} (${quote(classes[asIndex[row]!]!)}), and every label of the column reads both ways; rename the classes so that no name is a number, or give the labels in a labels .npy` };
  }
  if (notName < 0) return { ok: true, labels: asName };
  if (notIndex < 0) return { ok: true, labels: asIndex };
  // Neither reading covers the column: blame a cell that neither accepts, else the mix of kinds.
  const row = cells.findIndex((raw) => !byName.has(raw.trim()) && !INTEGER.test(raw.trim()));
  if (row >= 0) {
    return { ok: false, row, code: 'LABEL_UNKNOWN_CLASS', detail: `label ${quote(cells[row]!.trim())} is neither a class name nor a class index; classes: ${listForMessage(classes)}` };
  }
  const range = cells.findIndex((raw) => {
    const cell = raw.trim();
    return !byName.has(cell) && !(Number(cell) >= 0 && Number(cell) < classes.length);
  });
  if (range >= 0) {
    return { ok: false, row: range, code: 'LABEL_RANGE', detail: `label ${cells[range]!.trim()} is outside 0..${classes.length - 1} (${classes.length} classes)` };
  }
  return { ok: false, row: notIndex, code: 'LABEL_AMBIGUOUS', detail: `label ${quote(cells[notIndex]!.trim())} is a class name, but row ${notName} holds class index ${cells[notName]!.trim()}; a label column holds names or indices, not both` };
}
