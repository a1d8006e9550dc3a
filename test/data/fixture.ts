/** Small real dataset directories in os.tmpdir() for the data tests, and an assertion for DataErrors. */
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataError, type DataErrorCode } from '../../src/data/errors.js';
import { serializeNpy, type NpyDtype } from '../../src/data/npy.js';

const made: string[] = [];

/** File name -> content: bytes, text, or (for .json names) a value to serialise; null leaves it out. */
export type Files = Record<string, Uint8Array | string | object | null>;

/** A bad-input case: changes to a good dataset (a manifest edit and/or replaced files) and the one-line error expected. */
export interface ErrorCase {
  name: string;
  manifest?: (m: Record<string, unknown>) => void;
  files?: Files;
  code: DataErrorCode;
  file: string;
  fragments: (string | RegExp)[];
}

export async function writeDataset(files: Files): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gblend-data-test-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    if (content === null) continue;
    const full = path.join(dir, name);
    await mkdir(path.dirname(full), { recursive: true });
    const bytes = content instanceof Uint8Array || typeof content === 'string' ? content : JSON.stringify(content, null, 2);
    await writeFile(full, bytes);
  }
  return dir;
}

/** Remove every directory writeDataset made (call from `after`). */
export async function cleanup(): Promise<void> {
  await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

export function npy(dtype: NpyDtype, shape: number[], values: ArrayLike<number> | ArrayLike<bigint>): Uint8Array {
  const data = (() => {
    switch (dtype) {
      case 'float32': return Float32Array.from(values as ArrayLike<number>);
      case 'float64': return Float64Array.from(values as ArrayLike<number>);
      case 'uint8': case 'bool': return Uint8Array.from(values as ArrayLike<number>);
      case 'int8': return Int8Array.from(values as ArrayLike<number>);
      case 'int16': return Int16Array.from(values as ArrayLike<number>);
      case 'uint16': return Uint16Array.from(values as ArrayLike<number>);
      case 'int32': return Int32Array.from(values as ArrayLike<number>);
      case 'uint32': return Uint32Array.from(values as ArrayLike<number>);
      case 'int64': return BigInt64Array.from(values as ArrayLike<bigint>);
      case 'uint64': return BigUint64Array.from(values as ArrayLike<bigint>);
    }
  })();
  return serializeNpy({ dtype, shape, data });
}

/**
 * The reference dataset: 4 rows, 2 classes, a float32 vector modality and a uint8 image-like one.
 *   shape:  [[0, 0.5, 1], [1.5, 2, 2.5], [3, 3.5, 4], [4.5, 5, 5.5]]
 *   colour: 4 x 2 x 2 of 0..15 (uint8, so converted to float32)
 *   labels: int64 [0, 1, 1, 0]; split: uint8 [0, 0, 1, 0]
 */
export function goodManifest(): Record<string, unknown> {
  return {
    name: 'segments',
    classes: ['sky', 'grass'],
    modalities: { shape: { file: 'shape.npy' }, colour: { file: 'colour.npy', encoder: 'conv' } },
    labels: 'labels.npy',
    split: 'split.npy',
    description: 'a tiny fixture',
    license: 'CC0',
    source: 'hand-made',
  };
}

export function goodFiles(): Files {
  return {
    'dataset.json': goodManifest(),
    'shape.npy': npy('float32', [4, 3], [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5]),
    'colour.npy': npy('uint8', [4, 2, 2], Array.from({ length: 16 }, (_, i) => i)),
    'labels.npy': npy('int64', [4], [0n, 1n, 1n, 0n]),
    'split.npy': npy('uint8', [4], [0, 0, 1, 0]),
  };
}

/** Await `promise` (or call `fn`) and check it fails with this DataError code, file and message text. */
export async function rejectsWith(
  run: () => unknown,
  code: DataErrorCode,
  file: string,
  ...fragments: (string | RegExp)[]
): Promise<DataError> {
  let caught: unknown = null;
  try {
    await run();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof DataError, `expected a DataError ${code}, got ${caught === null ? 'no error' : String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.file, file, caught.message);
  assert.ok(caught.message.startsWith(`${file}: `), `message should start with the file: ${caught.message}`);
  assert.ok(!/[\r\n]/.test(caught.message), `message must be one line: ${JSON.stringify(caught.message)}`);
  for (const f of fragments) {
    if (typeof f === 'string') assert.ok(caught.message.includes(f), `message ${JSON.stringify(caught.message)} should include ${JSON.stringify(f)}`);
    else assert.match(caught.message, f);
  }
  return caught;
}
