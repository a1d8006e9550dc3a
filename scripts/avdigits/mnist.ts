/**
 * Reading MNIST's idx files and shrinking the digits to 14x14. Pure: bytes in, arrays out.
 */
import { BuildError } from './errors.js';
import { downsample2x2 as blockMean2x2 } from '../../src/features/handwritten-digit.js';

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count * rows * cols bytes, row-major, one image after another. */
  pixels: Uint8Array;
}

const IMAGES_MAGIC = 0x00000803; // unsigned byte, 3 dimensions
const LABELS_MAGIC = 0x00000801; // unsigned byte, 1 dimension

export function parseIdxImages(bytes: Uint8Array): IdxImages {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 16 || view.getUint32(0) !== IMAGES_MAGIC) {
    throw new BuildError('BAD_IDX', 'not an idx3-ubyte image file');
  }
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  if (bytes.length < 16 + count * rows * cols) throw new BuildError('BAD_IDX', 'truncated idx image file');
  return { count, rows, cols, pixels: bytes.subarray(16, 16 + count * rows * cols) };
}

export function parseIdxLabels(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || view.getUint32(0) !== LABELS_MAGIC) {
    throw new BuildError('BAD_IDX', 'not an idx1-ubyte label file');
  }
  const count = view.getUint32(4);
  if (bytes.length < 8 + count) throw new BuildError('BAD_IDX', 'truncated idx label file');
  return bytes.subarray(8, 8 + count);
}

/**
 * Image `index` averaged over 2x2 blocks (28x28 -> 14x14), rounded half up. Averaging rather than
 * subsampling keeps thin strokes visible at the lower resolution. The block mean itself lives in
 * src/features, where the exported web page applies it to a drawing.
 */
export function downsample2x2(images: IdxImages, index: number): Uint8Array {
  return blockMean2x2(images.pixels, images.rows, images.cols, index * images.rows * images.cols);
}
