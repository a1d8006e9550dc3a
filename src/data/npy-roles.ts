/**
 * Parsed .npy arrays in their three roles: a modality (any numeric dtype, converted to float32 only where
 * that is exact or a plain rounding of a float), labels (integers) and a split (0/1). Pure.
 */
import { DataError, quote } from './errors.js';
import { NpyFormatError, parseNpy, type NpyArray, type NpyDtype } from './npy.js';
import type { EncoderHint, ModalityData } from './types.js';

const INTEGER_DTYPES: ReadonlySet<NpyDtype> = new Set(['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']);
/** Integers beyond this lose exactness in float32; such data should be converted deliberately by its owner. */
const F32_EXACT_INT = 2 ** 24;
const F32_MAX = 3.4028234663852886e38;

/** parseNpy with the file name added and format problems told apart from unsupported dtypes. */
export function readNpy(bytes: Uint8Array, file: string, field: string): NpyArray {
  try {
    return parseNpy(bytes);
  } catch (e) {
    if (!(e instanceof NpyFormatError)) throw e;
    throw new DataError(e.reason === 'dtype' ? 'DTYPE_UNSUPPORTED' : 'NOT_NPY', file, field, e.reason === 'dtype' ? e.message : `not a readable .npy file: ${e.message}`);
  }
}

export function npyToModality(arr: NpyArray, name: string, encoder: EncoderHint | null, file: string): ModalityData {
  const field = `modalities.${name}`;
  if (arr.dtype === 'bool' || !(arr.dtype === 'float32' || arr.dtype === 'float64' || INTEGER_DTYPES.has(arr.dtype))) {
    throw new DataError('DTYPE_UNSUPPORTED', file, field, `modality ${quote(name)} has dtype ${arr.dtype}; use float32 or uint8 (float64 and integer dtypes are converted)`);
  }
  if (arr.shape.length < 2) {
    throw new DataError('SHAPE', file, field,
      `modality ${quote(name)} has shape [${arr.shape.join(', ')}]: it needs [N, ...] with at least one dimension per example (for one feature per example, save shape [N, 1])`);
  }
  const shape = arr.shape.slice(1);
  return { name, shape, data: toFloat32(arr, file, field), encoder, sourceDtype: arr.dtype };
}

function toFloat32(arr: NpyArray, file: string, field: string): Float32Array {
  if (arr.data instanceof Float32Array) return arr.data;
  const n = arr.data.length;
  const out = new Float32Array(n);
  const perRow = arr.shape.slice(1).reduce((a, b) => a * b, 1);
  const where = (i: number): string => `row ${Math.floor(i / perRow)}, column ${i % perRow}`;
  if (arr.data instanceof BigInt64Array || arr.data instanceof BigUint64Array) {
    const big = arr.data;
    for (let i = 0; i < n; i++) {
      const v = big[i]!;
      if (v > F32_EXACT_INT || v < -F32_EXACT_INT) throw tooBig(file, field, String(v), where(i));
      out[i] = Number(v);
    }
    return out;
  }
  const src = arr.data;
  const isFloat = arr.dtype === 'float64';
  for (let i = 0; i < n; i++) {
    const v = src[i]!;
    if (isFloat) {
      // NaN and +-Infinity pass through to validation, which reports them with the same message as float32.
      if (Number.isFinite(v) && Math.abs(v) > F32_MAX) {
        throw new DataError('VALUE_RANGE', file, field, `value ${v} at ${where(i)} does not fit in float32`);
      }
    } else if (v > F32_EXACT_INT || v < -F32_EXACT_INT) {
      throw tooBig(file, field, String(v), where(i));
    }
    out[i] = v;
  }
  return out;
}

function tooBig(file: string, field: string, v: string, where: string): DataError {
  return new DataError('VALUE_RANGE', file, field, `integer ${v} at ${where} is not exactly representable in float32 (|v| > 2^24); convert the data to float32 yourself if rounding is acceptable`);
}

export function npyToLabels(arr: NpyArray, file: string): Int32Array {
  if (!INTEGER_DTYPES.has(arr.dtype)) {
    throw new DataError('DTYPE_UNSUPPORTED', file, 'labels', `labels have dtype ${arr.dtype}; they must be integers (e.g. labels.astype(np.int64))`);
  }
  if (arr.shape.length !== 1) throw new DataError('SHAPE', file, 'labels', `labels have shape [${arr.shape.join(', ')}]; they must be 1-D, shape [N]`);
  const out = new Int32Array(arr.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = Number(arr.data[i]!);
    // Out-of-range values are reported here, before Int32Array would silently wrap them.
    if (v < -(2 ** 31) || v >= 2 ** 31) throw new DataError('LABEL_RANGE', file, 'labels', `label ${String(arr.data[i])} at row ${i} is not a class index`);
    out[i] = v;
  }
  return out;
}

export function npyToSplit(arr: NpyArray, file: string): Uint8Array {
  if (!INTEGER_DTYPES.has(arr.dtype) && arr.dtype !== 'bool') {
    throw new DataError('DTYPE_UNSUPPORTED', file, 'split', `split has dtype ${arr.dtype}; it must be integers or bool (0 = train, 1 = test)`);
  }
  if (arr.shape.length !== 1) throw new DataError('SHAPE', file, 'split', `split has shape [${arr.shape.join(', ')}]; it must be 1-D, shape [N]`);
  const out = new Uint8Array(arr.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = Number(arr.data[i]!);
    // Checked before the cast: Uint8Array would turn 257 into 1.
    if (v !== 0 && v !== 1) throw new DataError('SPLIT_VALUE', file, 'split', `split value ${String(arr.data[i])} at row ${i}; values must be 0 (train) or 1 (test)`);
    out[i] = v;
  }
  return out;
}
