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

export type LabelReading = { ok: true; index: number } | { ok: false; code: 'LABEL_RANGE' | 'LABEL_UNKNOWN_CLASS'; detail: string };

const INTEGER = /^[+-]?\d+(?:\.0*)?$/; // "3" and "3.0": writers such as pandas print integer labels as floats

/**
 * Returns a reader from a label cell to a class index. A cell that equals a class name is that class;
 * otherwise an integer is read as an index. Names come first so that classes like ["1", "2"] mean
 * what they say; for a class count (names "0".."C-1") both readings agree.
 */
export function labelReader(classes: readonly string[]): (cell: string) => LabelReading {
  const byName = new Map(classes.map((c, i) => [c, i] as const));
  return (raw) => {
    const cell = raw.trim();
    const named = byName.get(cell);
    if (named !== undefined) return { ok: true, index: named };
    if (INTEGER.test(cell)) {
      const index = Number(cell);
      if (index >= 0 && index < classes.length) return { ok: true, index: index === 0 ? 0 : index };
      return { ok: false, code: 'LABEL_RANGE', detail: `label ${cell} is outside 0..${classes.length - 1} (${classes.length} classes)` };
    }
    return { ok: false, code: 'LABEL_UNKNOWN_CLASS', detail: `label ${quote(cell)} is neither a class name nor a class index; classes: ${listForMessage(classes)}` };
  };
}
