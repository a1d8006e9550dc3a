/**
 * The one error type of the data layer. Every bad input ends here, with a stable `code` that tests and
 * the CLI can branch on, the file it concerns, the manifest field (or null), and a one-line message that
 * starts with the file name, so a user can fix the data without reading a stack trace.
 */
import { oneLine, UserError } from '../core/user-error.js';

export const DATA_ERROR_CODES = [
  'DIR_NOT_FOUND', // the dataset directory does not exist or is not a directory
  'MANIFEST_MISSING', // no dataset.json in the directory
  'MANIFEST_JSON', // dataset.json is not valid JSON (message gives line and column)
  'MANIFEST_KEY_MISSING', // a required key is absent
  'MANIFEST_KEY_UNKNOWN', // a key we do not know, or one that does not apply to this kind of file
  'INVALID_VALUE', // a value of the wrong type or form (name, encoder, header, file, ...)
  'FILE_MISSING', // a file named in the manifest does not exist
  'FILE_TYPE', // a file name without a supported extension (.npy, and .csv for modalities)
  'READ_ERROR', // the file exists but could not be read (permissions, a directory, ...)
  'NOT_NPY', // the bytes are not a readable .npy file
  'DTYPE_UNSUPPORTED', // a .npy dtype we do not accept for this role
  'SHAPE', // wrong number of dimensions, or data length that does not match the shape
  'EMPTY_MODALITY', // a modality with 0 rows or 0 features
  'NO_MODALITIES', // zero modalities (one is fine: uni-modal users exist)
  'DUPLICATE_MODALITY', // two modalities with the same name
  'UNKNOWN_MODALITY', // selectModalities asked for a name the dataset does not have
  'ROW_MISMATCH', // row counts differ across modalities, labels and split
  'NON_FINITE', // NaN or +-Infinity in a modality (message gives row and column)
  'VALUE_RANGE', // a value that float32 cannot hold exactly (float64 overflow, integers beyond 2^24)
  'CLASSES', // fewer than 2 classes, or empty / duplicate class names
  'LABEL_RANGE', // a label index outside 0..C-1
  'LABEL_UNKNOWN_CLASS', // a CSV label that is neither a class name nor an integer
  'LABEL_AMBIGUOUS', // a CSV label column that reads both as names and as indices, differently, or mixes them
  'LABEL_CONFLICT', // two label sources disagree on a row
  'SPLIT_VALUE', // a split value other than 0 (train) or 1 (test)
  'SPLIT_NO_TRAIN', // the split leaves no training example
  'SPLIT_NO_TEST', // the split leaves no test example (training only)
  'CSV_SYNTAX', // unterminated or stray quote
  'CSV_RAGGED', // a row with a different number of cells than the header / first row
  'CSV_HEADER', // line 1 holds only numbers and dataset.json does not say it is a header: it may be a data row
  'CSV_NOT_NUMERIC', // a feature cell that is not a number (message gives line and column)
  'CSV_LABEL_COLUMN', // the label column is not in the file, or its name is ambiguous
] as const;

export type DataErrorCode = (typeof DATA_ERROR_CODES)[number];

export class DataError extends UserError {
  declare readonly code: DataErrorCode;
  /** The file the problem is in, as named in the manifest (or the origin of an in-memory dataset). */
  readonly file: string;
  /** The manifest field, dotted (e.g. `modalities.image.file`), or null when the file as a whole is at fault. */
  readonly field: string | null;
  /** The message without the file in front: what is wrong (one line). */
  readonly detail: string;

  constructor(code: DataErrorCode, file: string, field: string | null, detail: string) {
    super(code, `${file}: ${detail}`);
    this.file = file;
    this.field = field;
    this.detail = oneLine(detail);
  }
}

/** Quote a user-provided string for a message; JSON escaping keeps control characters visible. */
export function quote(s: string): string {
  const json = JSON.stringify(s);
  return `'${json.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** List items for a message, truncated so a 1000-class list does not become a paragraph. */
export function listForMessage(items: readonly string[], max = 12): string {
  const shown = items.slice(0, max).map(quote).join(', ');
  return items.length > max ? `${shown}, ... (${items.length} in all)` : shown;
}
