/**
 * A parsed CSV table to one modality: numeric feature columns as float32 rows, plus the label column
 * (if any) read as class indices. Pure. Messages give the 1-based line (as in an editor), the example's
 * 0-based row, and the 0-based column (the same numbering as "labelColumn").
 */
import type { CsvTable } from './csv.js';
import { DataError, listForMessage, quote } from './errors.js';
import { readLabelColumn } from './labels.js';
import type { LabelColumn, ModalitySpec } from './manifest.js';
import type { ModalityData } from './types.js';

export interface CsvModality {
  modality: ModalityData;
  /** Class index per row, or null when this file has no label column. */
  labels: Int32Array | null;
  /** The label column, for messages ("column 216 of mfeat-fac.csv"). */
  labelColumnIndex: number | null;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const F32_MAX = 3.4028234663852886e38;

export function csvToModality(table: CsvTable, spec: ModalitySpec, classes: readonly string[]): CsvModality {
  const file = spec.file;
  const field = `modalities.${spec.name}`;
  const { records, lines } = table;
  const header = spec.header ? records[0] : undefined;
  const start = spec.header ? 1 : 0;
  const rows = records.length - start;
  if (records.length === 0) throw new DataError('EMPTY_MODALITY', file, field, `modality ${quote(spec.name)}: the file is empty`);
  if (rows === 0) throw new DataError('EMPTY_MODALITY', file, field, `modality ${quote(spec.name)}: the file has a header but no data rows`);

  if (spec.header && !spec.headerDeclared) checkHeaderRow(records[0]!, file, field);
  const width = records[0]!.length;
  const widthFrom = spec.header ? 'the header' : 'the first row';
  for (let r = 1; r < records.length; r++) {
    const n = records[r]!.length;
    if (n !== width) {
      throw new DataError('CSV_RAGGED', file, field, `line ${lines[r]} has ${n} cell${n === 1 ? '' : 's'} but ${widthFrom} has ${width}${n === 1 && records[r]![0]!.trim() === '' ? ' (a blank line?)' : ''}`);
    }
  }

  const labelCol = spec.labelColumn === null ? null : resolveLabelColumn(spec.labelColumn, header, width, file, field);
  const features = width - (labelCol === null ? 0 : 1);
  if (features === 0) throw new DataError('EMPTY_MODALITY', file, field, `modality ${quote(spec.name)} has no feature columns (only the label column)`);

  const data = new Float32Array(rows * features);
  const labelCells: string[] = [];
  const where = (row: number, col: number): string => `line ${lines[row + start]} (row ${row}), column ${col}`;
  for (let row = 0; row < rows; row++) {
    const record = records[row + start]!;
    let k = row * features;
    for (let col = 0; col < width; col++) {
      const cell = record[col]!;
      if (col === labelCol) labelCells.push(cell);
      else data[k++] = parseCell(cell, () => where(row, col), file, field);
    }
  }
  let labels: Int32Array | null = null;
  if (labelCol !== null) {
    const reading = readLabelColumn(labelCells, classes);
    if (!reading.ok) throw new DataError(reading.code, file, field, `${where(reading.row, labelCol)}: ${reading.detail}`);
    labels = reading.labels;
  }
  const modality: ModalityData = { name: spec.name, shape: [features], data, encoder: spec.encoder, sourceDtype: 'csv' };
  return { modality, labels, labelColumnIndex: labelCol };
}

/**
 * The header row that dataset.json did not declare: a row of names is one; a row of numbers only
 * cannot be told from data (pandas' column numbers 0,1,2 and a data row 0,1,2 are the same text), so
 * rather than guess, and maybe drop an example without a word, it is refused until dataset.json says.
 */
function checkHeaderRow(header: string[], file: string, field: string): void {
  if (!header.every((c) => DECIMAL.test(c.trim()))) return;
  throw new DataError('CSV_HEADER', file, `${field}.header`,
    'line 1 holds only numbers, so it may be data rather than a header row; set "header": false for this modality in dataset.json if it is data, or "header": true if it is a header (column numbers), or write a header row of column names');
}

function parseCell(raw: string, where: () => string, file: string, field: string): number {
  const cell = raw.trim();
  if (DECIMAL.test(cell)) {
    const v = Number(cell);
    if (Math.abs(v) > F32_MAX) throw new DataError('VALUE_RANGE', file, field, `${where()}: ${cell} does not fit in float32`);
    return v;
  }
  if (NON_FINITE.test(cell)) throw new DataError('NON_FINITE', file, field, `${where()}: ${cell} is not a finite number`);
  if (cell === '') throw new DataError('CSV_NOT_NUMERIC', file, field, `${where()}: empty cell (missing values are not supported)`);
  const hint = /[;\t]/.test(cell) ? ' (the delimiter must be a comma)' : '';
  throw new DataError('CSV_NOT_NUMERIC', file, field, `${where()}: ${quote(cell.length > 40 ? `${cell.slice(0, 40)}...` : cell)} is not a number${hint}`);
}

function resolveLabelColumn(col: LabelColumn, header: string[] | undefined, width: number, file: string, field: string): number {
  if (typeof col === 'number') {
    if (col >= width || col < -width) {
      throw new DataError('CSV_LABEL_COLUMN', file, `${field}.labelColumn`, `label column ${col} is outside the ${width} columns (valid: ${-width}..${width - 1})`);
    }
    return col < 0 ? width + col : col;
  }
  const names = header!.map((h) => h.trim());
  const hits = names.flatMap((h, i) => (h === col ? [i] : []));
  if (hits.length === 0) {
    throw new DataError('CSV_LABEL_COLUMN', file, `${field}.labelColumn`, `no column named ${quote(col)} in the header; columns: ${listForMessage(names)}`);
  }
  if (hits.length > 1) {
    throw new DataError('CSV_LABEL_COLUMN', file, `${field}.labelColumn`,
      `column name ${quote(col)} appears ${hits.length} times in the header (columns ${hits.join(', ')}); give the index instead, e.g. "labelColumn": ${hits[hits.length - 1]! - width}`);
  }
  return hits[0]!;
}
