/**
 * dataset.json: the schema, checked strictly. Pure: a parsed JSON value in, a typed Manifest out, or a
 * DataError naming the field. Unknown keys are errors (a typo such as "lables" must not silently drop
 * the labels), and each error lists the keys that are allowed where it happened.
 */
import { DataError, listForMessage, quote } from './errors.js';
import type { JsonObject, JsonValue } from './json.js';
import { checkClasses } from './labels.js';
import type { EncoderHint } from './types.js';

/** A CSV label column: a header name, or an index (negative counts from the end, -1 = last). */
export type LabelColumn = string | number;

export interface ModalitySpec {
  name: string;
  file: string;
  format: 'npy' | 'csv';
  encoder: EncoderHint | null;
  /** CSV only: whether the first row holds column names (default true). */
  header: boolean;
  /**
   * CSV only: whether dataset.json says there is a header ("header": true, or a label column given by
   * name); otherwise a first row of numbers only is refused as ambiguous (csv-modality.ts).
   */
  headerDeclared: boolean;
  /** CSV only: the resolved label column (per-modality, else top-level), or null for none. */
  labelColumn: LabelColumn | null;
}

export interface Manifest {
  name: string;
  classes: string[];
  modalities: ModalitySpec[];
  labels: string | null;
  split: string | null;
  description: string | null;
  license: string | null;
  source: string | null;
}

const TOP_KEYS = ['name', 'classes', 'modalities', 'labels', 'split', 'labelColumn', 'description', 'license', 'source'];
const NPY_KEYS = ['file', 'encoder'];
const CSV_KEYS = ['file', 'encoder', 'header', 'labelColumn'];

const MAX_CLASSES = 1 << 20;

/** Modality names end up in CLI lists (comma-separated), output names and file names. */
export const MODALITY_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export function parseManifest(value: JsonValue, file = 'dataset.json'): Manifest {
  const top = asObject(value, file, null, 'the top level must be a JSON object');
  checkKeys(top, TOP_KEYS, file, null, 'at the top level');
  const name = requiredString(top, 'name', file);
  const classes = parseClasses(top, file);
  const topLabelColumn = has(top, 'labelColumn') ? parseLabelColumn(top['labelColumn']!, file, 'labelColumn', false) : null;
  const modalities = parseModalities(top, topLabelColumn, file);
  if (topLabelColumn !== null && !modalities.some((m) => m.format === 'csv')) {
    throw new DataError('INVALID_VALUE', file, 'labelColumn', "'labelColumn' is set but no modality is a .csv file");
  }
  return {
    name,
    classes,
    modalities,
    labels: optionalFile(top, 'labels', file),
    split: optionalFile(top, 'split', file),
    description: optionalString(top, 'description', file),
    license: optionalString(top, 'license', file),
    source: optionalString(top, 'source', file),
  };
}

function parseClasses(top: JsonObject, file: string): string[] {
  if (!has(top, 'classes')) throw missingKey(file, 'classes', 'a list of class names or a class count');
  const v = top['classes']!;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new DataError('INVALID_VALUE', file, 'classes', `'classes' must be an integer count or a list of names, got ${v}`);
    if (v < 2) throw new DataError('CLASSES', file, 'classes', `'classes' is ${v}: a classifier needs at least 2 classes`);
    // A guard against a typo such as 1e9 allocating a billion names; labels are int32 anyway.
    if (v > MAX_CLASSES) throw new DataError('CLASSES', file, 'classes', `'classes' is ${v}: more than ${MAX_CLASSES} classes is not supported`);
    return Array.from({ length: v }, (_, i) => String(i));
  }
  if (!Array.isArray(v)) throw new DataError('INVALID_VALUE', file, 'classes', `'classes' must be an integer count or a list of names, got ${typeName(v)}`);
  const names = v.map((c, i) => {
    if (typeof c !== 'string') throw new DataError('INVALID_VALUE', file, `classes[${i}]`, `class ${i} must be a string, got ${typeName(c)}`);
    return c;
  });
  checkClasses(names, file, 'classes');
  return names;
}

function parseModalities(top: JsonObject, topLabelColumn: LabelColumn | null, file: string): ModalitySpec[] {
  if (!has(top, 'modalities')) throw missingKey(file, 'modalities', 'an object of {name: {"file": ...}}');
  const mods = asObject(top['modalities']!, file, 'modalities', "'modalities' must be an object mapping each name to {\"file\": ...}");
  const names = Object.keys(mods);
  if (names.length === 0) throw new DataError('NO_MODALITIES', file, 'modalities', "'modalities' is empty: a dataset needs at least one modality");
  return names.map((name) => {
    const field = `modalities.${name}`;
    if (!MODALITY_NAME.test(name)) {
      throw new DataError('INVALID_VALUE', file, field, `modality name ${quote(name)} must be letters, digits, '_', '.' or '-' (not starting with '.' or '-')`);
    }
    const spec = asObject(mods[name]!, file, field, `modality ${quote(name)} must be an object such as {"file": "${name}.npy"}`);
    if (!has(spec, 'file')) throw missingKey(file, `${field}.file`, 'the .npy or .csv file of this modality');
    const path = spec['file']!;
    if (typeof path !== 'string' || path.length === 0) {
      throw new DataError('INVALID_VALUE', file, `${field}.file`, `modality ${quote(name)}: 'file' must be a non-empty string`);
    }
    const format = fileFormat(path);
    if (format === null) {
      throw new DataError('FILE_TYPE', file, `${field}.file`, `modality ${quote(name)}: file ${quote(path)} must end in .npy or .csv`);
    }
    checkKeys(spec, format === 'npy' ? NPY_KEYS : CSV_KEYS, file, field, `in modality ${quote(name)} (a .${format} file)`);
    const header = spec['header'] ?? true;
    if (typeof header !== 'boolean') throw new DataError('INVALID_VALUE', file, `${field}.header`, `modality ${quote(name)}: 'header' must be true or false`);
    let labelColumn = topLabelColumn;
    if (has(spec, 'labelColumn')) labelColumn = parseLabelColumn(spec['labelColumn']!, file, `${field}.labelColumn`, true);
    if (format === 'csv' && !header && typeof labelColumn === 'string') {
      throw new DataError('INVALID_VALUE', file, has(spec, 'labelColumn') ? `${field}.labelColumn` : 'labelColumn',
        `modality ${quote(name)}: label column ${quote(labelColumn)} is a name but the file has no header ("header": false); give an index`);
    }
    const headerDeclared = header && (has(spec, 'header') || typeof labelColumn === 'string');
    return { name, file: path, format, encoder: parseEncoder(spec, file, field), header, headerDeclared, labelColumn: format === 'csv' ? labelColumn : null };
  });
}

function parseEncoder(spec: JsonObject, file: string, field: string): EncoderHint | null {
  if (!has(spec, 'encoder')) return null;
  const e = spec['encoder'];
  if (e === 'mlp' || e === 'conv' || e === null) return e;
  throw new DataError('INVALID_VALUE', file, `${field}.encoder`, `'encoder' must be "mlp" or "conv", got ${JSON.stringify(e)}`);
}

/** `allowNull`: per modality, null opts one CSV out of a top-level labelColumn. */
function parseLabelColumn(v: JsonValue, file: string, field: string, allowNull: boolean): LabelColumn | null {
  if (v === null && allowNull) return null;
  if (typeof v === 'string' && v.length > 0) return v;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  const also = allowNull ? ', or null for no label column' : '';
  throw new DataError('INVALID_VALUE', file, field, `'labelColumn' must be a header name or an integer index (-1 = last column)${also}, got ${JSON.stringify(v)}`);
}

function fileFormat(path: string): 'npy' | 'csv' | null {
  const lower = path.toLowerCase();
  if (lower.endsWith('.npy')) return 'npy';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

function optionalFile(top: JsonObject, key: 'labels' | 'split', file: string): string | null {
  if (!has(top, key) || top[key] === null) return null;
  const v = top[key];
  if (typeof v !== 'string' || v.length === 0) throw new DataError('INVALID_VALUE', file, key, `'${key}' must be the name of a .npy file`);
  if (fileFormat(v) !== 'npy') throw new DataError('FILE_TYPE', file, key, `'${key}' file ${quote(v)} must end in .npy`);
  return v;
}

function requiredString(top: JsonObject, key: string, file: string): string {
  if (!has(top, key)) throw missingKey(file, key, 'a string');
  const v = top[key];
  if (typeof v !== 'string' || v.trim().length === 0) throw new DataError('INVALID_VALUE', file, key, `'${key}' must be a non-empty string`);
  return v;
}

function optionalString(top: JsonObject, key: string, file: string): string | null {
  if (!has(top, key) || top[key] === null) return null;
  const v = top[key];
  if (typeof v !== 'string') throw new DataError('INVALID_VALUE', file, key, `'${key}' must be a string, got ${typeName(v!)}`);
  return v;
}

function checkKeys(obj: JsonObject, allowed: readonly string[], file: string, parent: string | null, where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new DataError('MANIFEST_KEY_UNKNOWN', file, parent === null ? key : `${parent}.${key}`,
        `unknown key ${quote(key)} ${where}; allowed keys: ${listForMessage(allowed)}`);
    }
  }
}

function missingKey(file: string, field: string, what: string): DataError {
  return new DataError('MANIFEST_KEY_MISSING', file, field, `missing required key '${field}' (${what})`);
}

function asObject(v: JsonValue, file: string, field: string | null, message: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new DataError('INVALID_VALUE', file, field, message);
  return v;
}

function has(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function typeName(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}
