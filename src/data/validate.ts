/**
 * The checks every Dataset passes, whether loaded from disk or built in memory through the library API.
 * Pure. The loader runs them with the real file names (so messages say "image.npy: ..."); a library
 * user runs them through validateDataset with one origin string for everything.
 */
import { DataError, quote } from './errors.js';
import { checkClasses } from './labels.js';
import { MODALITY_NAME } from './manifest.js';
import { featureCount, type Dataset, type LabelRule, type ModalityData, type PredictionData } from './types.js';

/** Where each part of a dataset came from, for messages. */
export interface Origins {
  /** The file holding the dataset's own fields (name, classes): dataset.json, or the in-memory origin. */
  manifest: string;
  modality(name: string): string;
  /** File to blame for label problems, and how to name the labels in a message about another file. */
  labelsFile: string;
  labelsDescription: string;
  splitFile: string;
}

/** The row count every modality and the split must match, and how to name its source in a message. */
interface RowReference {
  rows: number;
  description: string;
}

export function validateDataset(ds: Dataset, origin: string): void {
  validateWith(ds, { manifest: origin, modality: () => origin, labelsFile: origin, labelsDescription: 'the label array', splitFile: origin });
}

/** `rule` 'optional' accepts labels null (data for prediction); every other check still applies. */
export function validateWith(ds: PredictionData, o: Origins, rule: LabelRule = 'required'): void {
  checkFields(ds, o.manifest, rule);
  const reference = rowReference(ds, o);
  for (const m of ds.modalities) checkModality(m, reference, o);
  if (ds.labels !== null) checkLabels(ds.labels, ds.classes.length, o.labelsFile);
  if (ds.split !== null) checkSplit(ds.split, reference, o, rule);
}

/** The labels when there are some; without them the first modality, so a mismatch names both files. */
function rowReference(ds: PredictionData, o: Origins): RowReference {
  if (ds.labels !== null) return { rows: ds.labels.length, description: o.labelsDescription };
  const first = ds.modalities[0]!; // checkFields has made sure there is one
  return { rows: modalityRows(first, o), description: `modality ${quote(first.name)} (${o.modality(first.name)})` };
}

function checkFields(ds: PredictionData, file: string, rule: LabelRule): void {
  if (typeof ds.name !== 'string' || ds.name.trim() === '') throw new DataError('INVALID_VALUE', file, 'name', "'name' must be a non-empty string");
  if (!Array.isArray(ds.classes)) throw new DataError('CLASSES', file, 'classes', "'classes' must be an array of class names");
  checkClasses(ds.classes, file, 'classes');
  for (const key of ['description', 'license', 'source'] as const) {
    if (ds[key] !== null && typeof ds[key] !== 'string') throw new DataError('INVALID_VALUE', file, key, `'${key}' must be a string or null`);
  }
  if (!Array.isArray(ds.modalities) || ds.modalities.length === 0) {
    throw new DataError('NO_MODALITIES', file, 'modalities', 'the dataset has no modalities: it needs at least one');
  }
  const seen = new Set<string>();
  for (const m of ds.modalities) {
    if (typeof m.name !== 'string' || !MODALITY_NAME.test(m.name)) {
      throw new DataError('INVALID_VALUE', file, 'modalities', `modality name ${quote(String(m.name))} must be letters, digits, '_', '.' or '-' (not starting with '.' or '-')`);
    }
    if (seen.has(m.name)) throw new DataError('DUPLICATE_MODALITY', file, `modalities.${m.name}`, `modality ${quote(m.name)} appears twice`);
    seen.add(m.name);
  }
  const labelsNeeded = rule === 'required' || ds.labels !== null;
  if (labelsNeeded && !(ds.labels instanceof Int32Array)) throw new DataError('INVALID_VALUE', file, 'labels', 'labels must be an Int32Array');
  if (ds.split !== null && !(ds.split instanceof Uint8Array)) throw new DataError('INVALID_VALUE', file, 'split', 'split must be a Uint8Array or null');
  if (ds.dir !== null && typeof ds.dir !== 'string') throw new DataError('INVALID_VALUE', file, 'dir', "'dir' must be a string or null");
}

function checkModality(m: ModalityData, reference: RowReference, o: Origins): void {
  const file = o.modality(m.name);
  const field = `modalities.${m.name}`;
  const rows = modalityRows(m, o);
  if (rows !== reference.rows) {
    throw new DataError('ROW_MISMATCH', file, field, `modality ${quote(m.name)} has ${rowsText(rows)} but ${reference.description} has ${reference.rows}`);
  }
  checkFinite(m, featureCount(m.shape), file, field);
}

/** The structural checks of one modality (encoder, types, shape, emptiness); returns its row count. */
function modalityRows(m: ModalityData, o: Origins): number {
  const file = o.modality(m.name);
  const field = `modalities.${m.name}`;
  const what = `modality ${quote(m.name)}`;
  if (m.encoder !== null && m.encoder !== 'mlp' && m.encoder !== 'conv') {
    throw new DataError('INVALID_VALUE', file, `${field}.encoder`, `${what}: encoder must be 'mlp', 'conv' or null, got ${JSON.stringify(m.encoder)}`);
  }
  if (!(m.data instanceof Float32Array)) throw new DataError('INVALID_VALUE', file, field, `${what}: data must be a Float32Array`);
  if (!Array.isArray(m.shape) || m.shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new DataError('SHAPE', file, field, `${what}: shape must be a list of non-negative integers, got ${JSON.stringify(m.shape)}`);
  }
  if (m.shape.length === 0) {
    throw new DataError('SHAPE', file, field, `${what} is 0-D per example (shape []): it needs at least one dimension per example, e.g. [1]`);
  }
  const perRow = featureCount(m.shape);
  if (perRow === 0) throw new DataError('EMPTY_MODALITY', file, field, `${what} has 0 features per example (shape [${m.shape.join(', ')}])`);
  if (m.data.length % perRow !== 0) {
    throw new DataError('SHAPE', file, field, `${what} has ${m.data.length} values, not a multiple of the ${perRow} per example of shape [${m.shape.join(', ')}]`);
  }
  const rows = m.data.length / perRow;
  if (rows === 0) throw new DataError('EMPTY_MODALITY', file, field, `${what} has 0 rows`);
  return rows;
}

function checkFinite(m: ModalityData, perRow: number, file: string, field: string): void {
  const data = m.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    // v - v is 0 for finite numbers and NaN otherwise: one comparison in the hot loop.
    if (v - v === 0) continue;
    const row = Math.floor(i / perRow);
    const col = i % perRow;
    const index = m.shape.length > 1 ? ` (index [${unravel(col, m.shape).join(', ')}] within the example)` : '';
    throw new DataError('NON_FINITE', file, field, `modality ${quote(m.name)} has ${v} at row ${row}, column ${col}${index}`);
  }
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return out;
}

function checkLabels(labels: Int32Array, classCount: number, file: string): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (v < 0 || v >= classCount) {
      throw new DataError('LABEL_RANGE', file, 'labels', `label ${v} at row ${i} is outside 0..${classCount - 1} (${classCount} classes)`);
    }
  }
}

/** Training needs both sides of the split; data for prediction only needs the values to be valid. */
function checkSplit(split: Uint8Array, reference: RowReference, o: Origins, rule: LabelRule): void {
  const file = o.splitFile;
  const rows = reference.rows;
  if (split.length !== rows) {
    throw new DataError('ROW_MISMATCH', file, 'split', `split has ${rowsText(split.length)} but ${reference.description} has ${rows}`);
  }
  let train = 0;
  for (let i = 0; i < split.length; i++) {
    const v = split[i]!;
    if (v !== 0 && v !== 1) throw new DataError('SPLIT_VALUE', file, 'split', `split value ${v} at row ${i}; values must be 0 (train) or 1 (test)`);
    if (v === 0) train++;
  }
  if (train === 0) throw new DataError('SPLIT_NO_TRAIN', file, 'split', `split marks all ${rows} rows as test (1): no training data is left`);
  if (train === rows && rule === 'required') {
    throw new DataError('SPLIT_NO_TEST', file, 'split', `split marks all ${rows} rows as train (0): no test data to score the model on; mark some rows 1, or leave 'split' out for a stratified test split`);
  }
}

export function rowsText(n: number): string {
  return `${n} row${n === 1 ? '' : 's'}`;
}
