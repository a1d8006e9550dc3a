/** Every bad .npy dataset gives its own code, names its file, and says what is wrong, on one line. */
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { loadDataset } from '../../src/data/index.js';
import { cleanup, goodFiles, goodManifest, npy, rejectsWith, writeDataset, type ErrorCase } from './fixture.js';

after(cleanup);


const mods = (m: Record<string, unknown>): Record<string, Record<string, unknown>> => m['modalities'] as Record<string, Record<string, unknown>>;

/** Bytes of a valid .npy whose header descr is replaced (same length), for dtypes we cannot write. */
function withDescr(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 128));
  const at = text.indexOf(from);
  const out = bytes.slice();
  out.set(new TextEncoder().encode(to), at);
  return out;
}

const cases: ErrorCase[] = [
  // dataset.json
  { name: 'bad JSON gives line and column', files: { 'dataset.json': '{\n  "name": "x",\n  "classes": 2,\n}' }, code: 'MANIFEST_JSON', file: 'dataset.json', fragments: ['trailing comma', 'line 4, column 1'] },
  { name: 'JSON with a stray token', files: { 'dataset.json': '{"name": "x", "classes": 2 "modalities": {}}' }, code: 'MANIFEST_JSON', file: 'dataset.json', fragments: ["expected ',' or '}'", 'line 1, column 28'] },
  { name: 'duplicate JSON key', files: { 'dataset.json': '{"name": "x",\n"name": "y"}' }, code: 'MANIFEST_JSON', file: 'dataset.json', fragments: ['duplicate key "name"', 'line 2, column 1'] },
  { name: 'top level not an object', files: { 'dataset.json': '[1, 2]' }, code: 'INVALID_VALUE', file: 'dataset.json', fragments: ['JSON object'] },
  { name: 'missing name', manifest: (m) => delete m['name'], code: 'MANIFEST_KEY_MISSING', file: 'dataset.json', fragments: ["'name'"] },
  { name: 'missing classes', manifest: (m) => delete m['classes'], code: 'MANIFEST_KEY_MISSING', file: 'dataset.json', fragments: ["'classes'"] },
  { name: 'missing modalities', manifest: (m) => delete m['modalities'], code: 'MANIFEST_KEY_MISSING', file: 'dataset.json', fragments: ["'modalities'"] },
  { name: 'modality without file', manifest: (m) => delete mods(m)['shape']!['file'], code: 'MANIFEST_KEY_MISSING', file: 'dataset.json', fragments: ["'modalities.shape.file'"] },
  { name: 'missing labels with only .npy modalities', manifest: (m) => delete m['labels'], code: 'MANIFEST_KEY_MISSING', file: 'dataset.json', fragments: ["'labels'", 'labelColumn'] },
  { name: 'unknown top-level key, allowed keys listed', manifest: (m) => (m['lables'] = 'labels.npy'), code: 'MANIFEST_KEY_UNKNOWN', file: 'dataset.json', fragments: ["unknown key 'lables'", "allowed keys: 'name', 'classes', 'modalities', 'labels', 'split'"] },
  { name: 'unknown modality key', manifest: (m) => (mods(m)['colour']!['encodr'] = 'mlp'), code: 'MANIFEST_KEY_UNKNOWN', file: 'dataset.json', fragments: ["'encodr'", "modality 'colour'", "allowed keys: 'file', 'encoder'"] },
  { name: 'CSV-only key on a .npy modality', manifest: (m) => (mods(m)['shape']!['header'] = false), code: 'MANIFEST_KEY_UNKNOWN', file: 'dataset.json', fragments: ["'header'", '.npy'] },
  { name: 'bad encoder hint', manifest: (m) => (mods(m)['shape']!['encoder'] = 'cnn'), code: 'INVALID_VALUE', file: 'dataset.json', fragments: ['"mlp" or "conv"', '"cnn"'] },
  { name: 'name of the wrong type', manifest: (m) => (m['name'] = 3), code: 'INVALID_VALUE', file: 'dataset.json', fragments: ["'name'"] },
  { name: 'description of the wrong type', manifest: (m) => (m['description'] = ['x']), code: 'INVALID_VALUE', file: 'dataset.json', fragments: ["'description' must be a string"] },
  { name: 'modality name with a space', manifest: (m) => (m['modalities'] = { 'my shape': { file: 'shape.npy' } }), code: 'INVALID_VALUE', file: 'dataset.json', fragments: ["'my shape'"] },
  { name: 'zero modalities', manifest: (m) => (m['modalities'] = {}), code: 'NO_MODALITIES', file: 'dataset.json', fragments: ['at least one'] },
  { name: 'one class', manifest: (m) => (m['classes'] = ['sky']), code: 'CLASSES', file: 'dataset.json', fragments: ['1 class', 'at least 2'] },
  { name: 'class count 1', manifest: (m) => (m['classes'] = 1), code: 'CLASSES', file: 'dataset.json', fragments: ['at least 2'] },
  { name: 'absurd class count', manifest: (m) => (m['classes'] = 1e9), code: 'CLASSES', file: 'dataset.json', fragments: ['more than 1048576'] },
  { name: 'duplicate class names', manifest: (m) => (m['classes'] = ['sky', 'sky']), code: 'CLASSES', file: 'dataset.json', fragments: ["'sky' appears twice"] },
  { name: 'fractional class count', manifest: (m) => (m['classes'] = 2.5), code: 'INVALID_VALUE', file: 'dataset.json', fragments: ['integer count'] },
  { name: 'unsupported file extension', manifest: (m) => (mods(m)['shape']!['file'] = 'shape.txt'), code: 'FILE_TYPE', file: 'dataset.json', fragments: ["'shape.txt'", '.npy or .csv'] },
  { name: 'labels as CSV', manifest: (m) => (m['labels'] = 'labels.csv'), code: 'FILE_TYPE', file: 'dataset.json', fragments: ["'labels.csv'", 'must end in .npy'] },
  // files
  { name: 'modality file missing', files: { 'shape.npy': null }, code: 'FILE_MISSING', file: 'shape.npy', fragments: ['file not found', 'modalities.shape.file'] },
  { name: 'labels file missing', files: { 'labels.npy': null }, code: 'FILE_MISSING', file: 'labels.npy', fragments: ['file not found'] },
  { name: 'split file missing', files: { 'split.npy': null }, code: 'FILE_MISSING', file: 'split.npy', fragments: ['file not found'] },
  { name: 'a directory where a file should be', files: { 'shape.npy': null, 'shape.npy/inner.txt': 'x' }, code: 'READ_ERROR', file: 'shape.npy', fragments: ['directory'] },
  { name: 'not a .npy', files: { 'shape.npy': 'hello, world\n' }, code: 'NOT_NPY', file: 'shape.npy', fragments: ['magic'] },
  { name: 'truncated .npy', files: { 'shape.npy': npy('float32', [4, 3], new Array(12).fill(1)).subarray(0, 128 + 40) }, code: 'NOT_NPY', file: 'shape.npy', fragments: ['truncated data'] },
  { name: 'unsupported dtype (complex)', files: { 'shape.npy': withDescr(npy('float64', [4, 3], new Array(12).fill(1)), '<f8', '<c8') }, code: 'DTYPE_UNSUPPORTED', file: 'shape.npy', fragments: ["'<c8'"] },
  { name: 'big-endian dtype', files: { 'shape.npy': withDescr(npy('float32', [4, 3], new Array(12).fill(1)), '<f4', '>f4') }, code: 'DTYPE_UNSUPPORTED', file: 'shape.npy', fragments: ["'>f4'"] },
  { name: 'bool modality', files: { 'shape.npy': npy('bool', [4, 3], new Array(12).fill(1)) }, code: 'DTYPE_UNSUPPORTED', file: 'shape.npy', fragments: ["modality 'shape' has dtype bool"] },
  { name: 'float labels', files: { 'labels.npy': npy('float32', [4], [0, 1, 1, 0]) }, code: 'DTYPE_UNSUPPORTED', file: 'labels.npy', fragments: ['float32', 'integers'] },
  { name: 'float split', files: { 'split.npy': npy('float64', [4], [0, 0, 1, 0]) }, code: 'DTYPE_UNSUPPORTED', file: 'split.npy', fragments: ['float64'] },
  // shapes and rows
  { name: 'labels not 1-D', files: { 'labels.npy': npy('int64', [4, 1], [0n, 1n, 1n, 0n]) }, code: 'SHAPE', file: 'labels.npy', fragments: ['[4, 1]', '1-D'] },
  { name: 'modality 0-D per example', files: { 'shape.npy': npy('float32', [4], [1, 2, 3, 4]) }, code: 'SHAPE', file: 'shape.npy', fragments: ["modality 'shape' has shape [4]", '[N, 1]'] },
  { name: 'split not 1-D', files: { 'split.npy': npy('uint8', [2, 2], [0, 0, 1, 0]) }, code: 'SHAPE', file: 'split.npy', fragments: ['1-D'] },
  { name: 'modality with fewer rows than labels', files: { 'shape.npy': npy('float32', [3, 3], new Array(9).fill(0)) }, code: 'ROW_MISMATCH', file: 'shape.npy', fragments: ["shape.npy: modality 'shape' has 3 rows but labels.npy has 4"] },
  { name: 'second modality with more rows', files: { 'colour.npy': npy('uint8', [5, 2, 2], new Array(20).fill(0)) }, code: 'ROW_MISMATCH', file: 'colour.npy', fragments: ["modality 'colour' has 5 rows but labels.npy has 4"] },
  { name: 'split with fewer rows', files: { 'split.npy': npy('uint8', [3], [0, 0, 1]) }, code: 'ROW_MISMATCH', file: 'split.npy', fragments: ['split has 3 rows but labels.npy has 4'] },
  { name: 'modality with 0 features', files: { 'shape.npy': npy('float32', [4, 0], []) }, code: 'EMPTY_MODALITY', file: 'shape.npy', fragments: ['0 features'] },
  { name: 'modality with 0 rows', files: { 'shape.npy': npy('float32', [0, 3], []), 'colour.npy': npy('uint8', [0, 2, 2], []), 'labels.npy': npy('int64', [0], []), 'split.npy': npy('uint8', [0], []) }, code: 'EMPTY_MODALITY', file: 'shape.npy', fragments: ['0 rows'] },
  // values
  { name: 'NaN in a modality, with row and column', files: { 'shape.npy': npy('float32', [4, 3], [0, 1, 2, 3, 4, 5, 6, NaN, 8, 9, 10, 11]) }, code: 'NON_FINITE', file: 'shape.npy', fragments: ["modality 'shape' has NaN at row 2, column 1"] },
  { name: 'Infinity in a float64 image, with its index', files: { 'colour.npy': npy('float64', [4, 2, 2], [...new Array(6).fill(0), -Infinity, ...new Array(9).fill(0)]) }, code: 'NON_FINITE', file: 'colour.npy', fragments: ['-Infinity at row 1, column 2', 'index [1, 0]'] },
  { name: 'float64 beyond float32', files: { 'shape.npy': npy('float64', [4, 3], [0, 0, 0, 0, 1e300, 0, 0, 0, 0, 0, 0, 0]) }, code: 'VALUE_RANGE', file: 'shape.npy', fragments: ['row 1, column 1', 'float32'] },
  { name: 'integer beyond 2^24', files: { 'shape.npy': npy('int32', [4, 3], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 ** 24 + 1]) }, code: 'VALUE_RANGE', file: 'shape.npy', fragments: ['16777217', 'row 3, column 2'] },
  { name: 'label out of range', files: { 'labels.npy': npy('int64', [4], [0n, 1n, 2n, 0n]) }, code: 'LABEL_RANGE', file: 'labels.npy', fragments: ['label 2 at row 2', '0..1'] },
  { name: 'negative label', files: { 'labels.npy': npy('int8', [4], [0, -1, 1, 0]) }, code: 'LABEL_RANGE', file: 'labels.npy', fragments: ['label -1 at row 1'] },
  { name: 'label beyond int32', files: { 'labels.npy': npy('int64', [4], [0n, 1n, 2n ** 40n, 0n]) }, code: 'LABEL_RANGE', file: 'labels.npy', fragments: ['1099511627776', 'row 2'] },
  { name: 'split value 2', files: { 'split.npy': npy('uint8', [4], [0, 2, 1, 0]) }, code: 'SPLIT_VALUE', file: 'split.npy', fragments: ['split value 2 at row 1'] },
  { name: 'split value 257 is not wrapped to 1', files: { 'split.npy': npy('int16', [4], [0, 257, 1, 0]) }, code: 'SPLIT_VALUE', file: 'split.npy', fragments: ['257'] },
  { name: 'split with no training rows', files: { 'split.npy': npy('uint8', [4], [1, 1, 1, 1]) }, code: 'SPLIT_NO_TRAIN', file: 'split.npy', fragments: ['no training data'] },
];

describe('loadDataset rejects bad datasets', () => {
  for (const c of cases) {
    test(`${c.name} -> ${c.code}`, async () => {
      const manifest = goodManifest();
      c.manifest?.(manifest);
      const dir = await writeDataset({ ...goodFiles(), 'dataset.json': manifest, ...c.files });
      await rejectsWith(() => loadDataset(dir), c.code, c.file, ...c.fragments);
    });
  }

  test('missing directory -> DIR_NOT_FOUND', async () => {
    const dir = path.join(await writeDataset({}), 'nope');
    await rejectsWith(() => loadDataset(dir), 'DIR_NOT_FOUND', dir, 'no such directory');
  });

  test('a file given as the directory -> DIR_NOT_FOUND', async () => {
    const dir = path.join(await writeDataset({ 'x.txt': 'x' }), 'x.txt');
    await rejectsWith(() => loadDataset(dir), 'DIR_NOT_FOUND', dir, 'not a directory');
  });

  test('no dataset.json -> MANIFEST_MISSING naming the directory', async () => {
    const dir = await writeDataset({ 'shape.npy': goodFiles()['shape.npy']! });
    await rejectsWith(() => loadDataset(dir), 'MANIFEST_MISSING', 'dataset.json', `no dataset.json in ${path.resolve(dir)}`);
  });
});
