/**
 * Minimal reader and writer for NumPy's .npy format (versions 1.0-3.0, little-endian, C order).
 * Pure: works on bytes, so both the dataset loader and the dataset build scripts share it.
 */

export type NpyDtype = 'float32' | 'float64' | 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'bool';

export type NpyData = Float32Array | Float64Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

/** What was wrong with the bytes: lets the dataset loader tell "not a .npy" from "a dtype we do not read". */
export type NpyProblem = 'magic' | 'version' | 'header' | 'order' | 'dtype' | 'shape' | 'size';

/** Thrown for bytes that are not a .npy file we can read; the caller adds the file name. */
export class NpyFormatError extends Error {
  constructor(
    message: string,
    readonly reason: NpyProblem,
  ) {
    super(message);
  }
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

const DESCR_TO_DTYPE: Record<string, NpyDtype> = {
  '<f4': 'float32', '<f8': 'float64', '|u1': 'uint8', '<u1': 'uint8', '|i1': 'int8', '<i1': 'int8',
  '<i2': 'int16', '<u2': 'uint16', '<i4': 'int32', '<u4': 'uint32', '<i8': 'int64', '<u8': 'uint64',
  '|b1': 'bool',
};

const DTYPE_TO_DESCR: Record<NpyDtype, string> = {
  float32: '<f4', float64: '<f8', uint8: '|u1', int8: '|i1', int16: '<i2', uint16: '<u2',
  int32: '<i4', uint32: '<u4', int64: '<i8', uint64: '<u8', bool: '|b1',
};

const BYTES: Record<NpyDtype, number> = {
  float32: 4, float64: 8, uint8: 1, int8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8, bool: 1,
};

function makeView(dtype: NpyDtype, buf: ArrayBuffer, count: number): NpyData {
  switch (dtype) {
    case 'float32': return new Float32Array(buf, 0, count);
    case 'float64': return new Float64Array(buf, 0, count);
    case 'uint8': case 'bool': return new Uint8Array(buf, 0, count);
    case 'int8': return new Int8Array(buf, 0, count);
    case 'int16': return new Int16Array(buf, 0, count);
    case 'uint16': return new Uint16Array(buf, 0, count);
    case 'int32': return new Int32Array(buf, 0, count);
    case 'uint32': return new Uint32Array(buf, 0, count);
    case 'int64': return new BigInt64Array(buf, 0, count);
    case 'uint64': return new BigUint64Array(buf, 0, count);
  }
}

export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new NpyFormatError('not a .npy file (bad magic bytes)', 'magic');
  }
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let offset: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    offset = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyFormatError('truncated .npy header', 'header');
    headerLen = view.getUint32(8, true);
    offset = 12;
  } else {
    throw new NpyFormatError(`unsupported .npy version ${major}`, 'version');
  }
  if (offset + headerLen > bytes.length) throw new NpyFormatError('truncated .npy header', 'header');
  const header = new TextDecoder('latin1').decode(bytes.subarray(offset, offset + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new NpyFormatError('malformed .npy header', 'header');
  }
  if (fortran === 'True') throw new NpyFormatError('Fortran-ordered arrays are not supported; save with C order', 'order');
  const dtype = DESCR_TO_DTYPE[descr];
  if (dtype === undefined) {
    throw new NpyFormatError(`unsupported dtype '${descr}' (use float32, uint8 or little-endian integers)`, 'dtype');
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new NpyFormatError('malformed .npy shape', 'shape');
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = offset + headerLen;
  const need = count * BYTES[dtype];
  // Both directions are errors: extra bytes mean the header's shape is not the data's (a bad writer).
  if (bytes.length - dataStart !== need) {
    const what = bytes.length - dataStart < need ? 'truncated data' : 'extra data after the array';
    throw new NpyFormatError(`${what}: shape [${shape.join(', ')}] needs ${need} bytes, file has ${bytes.length - dataStart}`, 'size');
  }
  // Copy into a fresh, aligned buffer: typed-array views need alignment the file does not promise.
  // Not bytes.slice(): on a Node Buffer (what readFile returns) slice is a view into a shared pool.
  const copy = new Uint8Array(need);
  copy.set(bytes.subarray(dataStart, dataStart + need));
  return { dtype, shape, data: makeView(dtype, copy.buffer, count) };
}

export function serializeNpy(arr: NpyArray): Uint8Array {
  const count = arr.shape.reduce((a, b) => a * b, 1);
  if (arr.data.length !== count) {
    throw new Error(`serializeNpy: data has ${arr.data.length} values, shape [${arr.shape.join(', ')}] needs ${count}`);
  }
  const shapeText = arr.shape.length === 1 ? `(${arr.shape[0]},)` : `(${arr.shape.join(', ')})`;
  let header = `{'descr': '${DTYPE_TO_DESCR[arr.dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + count * BYTES[arr.dtype]);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const src = arr.data;
  out.set(new Uint8Array(src.buffer, src.byteOffset, count * BYTES[arr.dtype]), 10 + header.length);
  return out;
}
