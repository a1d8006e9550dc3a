/**
 * Data for prediction may have no labels: loadPredictionData accepts it with every other check intact,
 * while loadDataset (training) still requires labels.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { loadDataset, loadPredictionData } from '../../src/data/index.js';
import { cleanup, goodFiles, goodManifest, npy, rejectsWith, writeDataset, type Files, type ErrorCase } from './fixture.js';

after(cleanup);

/** The reference dataset of fixture.ts without labels.npy and without the "labels" key. */
function unlabelledManifest(): Record<string, unknown> {
  const m = goodManifest();
  delete m['labels'];
  return m;
}

function unlabelledFiles(): Files {
  return { ...goodFiles(), 'dataset.json': unlabelledManifest(), 'labels.npy': null };
}

describe('loadPredictionData', () => {
  test('an unlabelled folder loads with labels null and everything else as loadDataset reads it labelled', async () => {
    const labelled = await loadDataset(await writeDataset(goodFiles()));
    const dir = await writeDataset(unlabelledFiles());
    const ds = await loadPredictionData(dir);
    assert.equal(ds.labels, null);
    assert.equal(ds.name, labelled.name);
    assert.deepEqual(ds.classes, labelled.classes);
    assert.deepEqual(ds.modalities, labelled.modalities);
    assert.deepEqual(Array.from(ds.split!), Array.from(labelled.split!));
    assert.equal(ds.dir, path.resolve(dir));
  });

  test('a labelled folder keeps its labels', async () => {
    const ds = await loadPredictionData(await writeDataset(goodFiles()));
    assert.deepEqual(Array.from(ds.labels!), [0, 1, 1, 0]);
  });

  test('CSV modalities without a label column load with labels null', async () => {
    const dir = await writeDataset({
      'dataset.json': { name: 'pets', classes: ['cat', 'dog'], modalities: { a: { file: 'a.csv' }, b: { file: 'b.csv' } } },
      'a.csv': 'f0,f1\n1,2\n3,4\n5,6.5\n',
      'b.csv': 'g0\n-1\n-2\n-3\n',
    });
    const ds = await loadPredictionData(dir);
    assert.equal(ds.labels, null);
    assert.deepEqual(Array.from(ds.modalities[0]!.data), [1, 2, 3, 4, 5, 6.5]);
  });

  test('loadDataset (training) on unlabelled data still fails with MANIFEST_KEY_MISSING', async () => {
    const dir = await writeDataset(unlabelledFiles());
    await rejectsWith(() => loadDataset(dir), 'MANIFEST_KEY_MISSING', 'dataset.json', "missing required key 'labels'", 'labelColumn');
  });
});


// Without labels, row counts are compared with the first modality ('shape', shape.npy, 4 rows).
const cases: ErrorCase[] = [
  { name: 'second modality with more rows names both files', files: { 'colour.npy': npy('uint8', [5, 2, 2], new Array(20).fill(0)) }, code: 'ROW_MISMATCH', file: 'colour.npy', fragments: ["colour.npy: modality 'colour' has 5 rows but modality 'shape' (shape.npy) has 4"] },
  { name: 'first modality with fewer rows names both files', files: { 'shape.npy': npy('float32', [3, 3], new Array(9).fill(0)) }, code: 'ROW_MISMATCH', file: 'colour.npy', fragments: ["colour.npy: modality 'colour' has 4 rows but modality 'shape' (shape.npy) has 3"] },
  { name: 'split with fewer rows than the modalities', files: { 'split.npy': npy('uint8', [3], [0, 0, 1]) }, code: 'ROW_MISMATCH', file: 'split.npy', fragments: ["split has 3 rows but modality 'shape' (shape.npy) has 4"] },
  { name: 'CSV modalities with different row counts', files: { 'dataset.json': { name: 'p', classes: 2, modalities: { a: { file: 'a.csv' }, b: { file: 'b.csv' } } }, 'a.csv': 'x\n1\n2\n3\n', 'b.csv': 'y\n1\n2\n' }, code: 'ROW_MISMATCH', file: 'b.csv', fragments: ["b.csv: modality 'b' has 2 rows but modality 'a' (a.csv) has 3"] },
  { name: 'NaN in a modality', files: { 'shape.npy': npy('float32', [4, 3], [0, 1, 2, 3, 4, 5, 6, NaN, 8, 9, 10, 11]) }, code: 'NON_FINITE', file: 'shape.npy', fragments: ["modality 'shape' has NaN at row 2, column 1"] },
  { name: 'Infinity in a modality', files: { 'colour.npy': npy('float64', [4, 2, 2], [...new Array(6).fill(0), Infinity, ...new Array(9).fill(0)]) }, code: 'NON_FINITE', file: 'colour.npy', fragments: ['Infinity at row 1, column 2'] },
  { name: 'bool modality', files: { 'shape.npy': npy('bool', [4, 3], new Array(12).fill(1)) }, code: 'DTYPE_UNSUPPORTED', file: 'shape.npy', fragments: ['dtype bool'] },
  { name: 'modality with 0 features', files: { 'shape.npy': npy('float32', [4, 0], []) }, code: 'EMPTY_MODALITY', file: 'shape.npy', fragments: ['0 features'] },
  { name: 'modality with 0 rows', files: { 'shape.npy': npy('float32', [0, 3], []), 'colour.npy': npy('uint8', [0, 2, 2], []), 'split.npy': npy('uint8', [0], []) }, code: 'EMPTY_MODALITY', file: 'shape.npy', fragments: ['0 rows'] },
  { name: '1-D modality', files: { 'shape.npy': npy('float32', [4], [1, 2, 3, 4]) }, code: 'SHAPE', file: 'shape.npy', fragments: ['[N, ...]'] },
  { name: 'split value 2', files: { 'split.npy': npy('uint8', [4], [0, 2, 1, 0]) }, code: 'SPLIT_VALUE', file: 'split.npy', fragments: ['split value 2 at row 1'] },
  { name: 'split with no training rows', files: { 'split.npy': npy('uint8', [4], [1, 1, 1, 1]) }, code: 'SPLIT_NO_TRAIN', file: 'split.npy', fragments: ['no training data'] },
  { name: 'classes still required', manifest: (m) => delete m['classes'], code: 'MANIFEST_KEY_MISSING', file: 'dataset.json', fragments: ["'classes'"] },
  { name: 'a labels file that is named but absent', manifest: (m) => (m['labels'] = 'labels.npy'), code: 'FILE_MISSING', file: 'labels.npy', fragments: ['file not found'] },
];

describe('loadPredictionData rejects bad unlabelled data, one line naming the file', () => {
  for (const c of cases) {
    test(`${c.name} -> ${c.code}`, async () => {
      const manifest = unlabelledManifest();
      c.manifest?.(manifest);
      const dir = await writeDataset({ ...unlabelledFiles(), 'dataset.json': manifest, ...c.files });
      await rejectsWith(() => loadPredictionData(dir), c.code, c.file, ...c.fragments);
    });
  }
});
