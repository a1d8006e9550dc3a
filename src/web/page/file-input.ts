/**
 * Modalities as files, for datasets other than avdigits: per modality a .npy array (examples first) or
 * CSV rows of numbers (one example per row, a non-numeric first row is a header), and an example index.
 */
import { parseNpy } from '../../data/npy.js';
import { el } from './dom.js';

/** The examples of one file, each `size` values. */
export interface Examples {
  count: number;
  row(i: number): Float32Array;
}

function fromFlat(values: ArrayLike<number>, size: number, name: string): Examples {
  if (values.length === 0 || values.length % size !== 0) throw new Error(`${name}: ${values.length} values is not a whole number of examples of ${size} values`);
  return { count: values.length / size, row: (i) => Float32Array.from(Array.prototype.slice.call(values, i * size, (i + 1) * size) as number[]) };
}

function parseCsvRows(text: string, size: number, name: string): Examples {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const rows = lines.map((l) => l.split(',').map((c) => Number(c.trim())));
  if (rows.length > 0 && rows[0]!.some((v) => Number.isNaN(v))) rows.shift();
  const values: number[] = [];
  for (const [i, r] of rows.entries()) {
    const bad = r.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${name}: row ${i + 1}, column ${bad + 1} is not a number`);
    if (r.length !== size) throw new Error(`${name}: row ${i + 1} has ${r.length} values, the model expects ${size}`);
    values.push(...r);
  }
  return fromFlat(values, size, name);
}

export async function readExamples(file: File, size: number): Promise<Examples> {
  if (file.name.toLowerCase().endsWith('.csv')) return parseCsvRows(await file.text(), size, file.name);
  const array = parseNpy(new Uint8Array(await file.arrayBuffer()));
  const data = array.data instanceof BigInt64Array || array.data instanceof BigUint64Array ? Array.from(array.data, Number) : array.data;
  return fromFlat(data, size, file.name);
}

/** One file input per modality; `onChange` gets the modality and its examples (null when cleared). */
export function fileInput(modality: string, shape: number[], onChange: (examples: Examples | null) => void, onError: (m: string) => void): HTMLElement {
  const size = shape.reduce((a, b) => a * b, 1);
  const input = el('input', { type: 'file', id: `file-${modality}`, accept: '.npy,.csv' });
  const status = el('span', { class: 'small' }, 'no file');
  input.addEventListener('change', () => {
    const f = input.files?.[0];
    if (f === undefined) return onChange(null);
    readExamples(f, size).then((ex) => {
      status.textContent = `${f.name}: ${ex.count} example${ex.count === 1 ? '' : 's'}`;
      onChange(ex);
    }, (err: Error) => onError(err.message));
  });
  return el('div', { class: 'input-box' }, el('h3', {}, `${modality} [${shape.join('×')}]`), input, el('br'), status);
}
