/** Datasets whose modalities are CSV files, labels included. */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { DataErrorCode } from '../../src/data/errors.js';
import { loadDataset } from '../../src/data/index.js';
import { cleanup, npy, rejectsWith, writeDataset, type Files } from './fixture.js';

after(cleanup);

/** Two views of 3 examples; the label column (named "label") holds class names. */
const A = 'f0,f1,label\n1,2,cat\n3,4,dog\n5,6.5,cat\n';
const B = 'label,g0\ncat,-1\ndog,-2\ncat,-3e-1\n';

function twoViews(extra: Record<string, unknown> = {}, files: Files = {}): Files {
  return {
    'dataset.json': { name: 'pets', classes: ['cat', 'dog'], labelColumn: 'label', modalities: { a: { file: 'a.csv' }, b: { file: 'b.csv' } }, ...extra },
    'a.csv': A,
    'b.csv': B,
    ...files,
  };
}

describe('loadDataset on CSV datasets', () => {
  test('labels by class name from a named column, features in file order', async () => {
    const ds = await loadDataset(await writeDataset(twoViews()));
    assert.deepEqual(ds.classes, ['cat', 'dog']);
    assert.deepEqual(Array.from(ds.labels), [0, 1, 0]);
    const [a, b] = ds.modalities;
    assert.deepEqual(a!.shape, [2]);
    assert.deepEqual(Array.from(a!.data), [1, 2, 3, 4, 5, 6.5]);
    assert.equal(a!.sourceDtype, 'csv');
    assert.equal(a!.encoder, null);
    assert.deepEqual(b!.shape, [1]);
    assert.deepEqual(Array.from(b!.data), [-1, -2, Math.fround(-0.3)]);
    assert.equal(ds.split, null);
  });

  test('no header, label column -1, integer labels, class count', async () => {
    const dir = await writeDataset({
      'dataset.json': { name: 'n', classes: 3, modalities: { x: { file: 'x.csv', header: false, labelColumn: -1, encoder: 'mlp' } } },
      'x.csv': '0.5,1,2\n7,8,0\n-1,1e2,1\n',
    });
    const ds = await loadDataset(dir);
    assert.deepEqual(Array.from(ds.labels), [2, 0, 1]);
    assert.deepEqual(Array.from(ds.modalities[0]!.data), [0.5, 1, 7, 8, -1, 100]);
    assert.equal(ds.modalities[0]!.encoder, 'mlp');
  });

  test('CRLF, BOM, quoted cells, spaces, "3.0" labels, and a split file', async () => {
    const dir = await writeDataset({
      'dataset.json': { name: 'q', classes: 4, labelColumn: 0, split: 's.npy', modalities: { x: { file: 'x.csv' } } },
      'x.csv': '\uFEFF"y","a, b",c\r\n3.0, 1.5 ,"2"\r\n0,-4,+5\r\n',
      's.npy': npy('uint8', [2], [0, 1]),
    });
    const ds = await loadDataset(dir);
    assert.deepEqual(Array.from(ds.labels), [3, 0]);
    assert.deepEqual(Array.from(ds.modalities[0]!.data), [1.5, 2, -4, 5]);
    assert.deepEqual(Array.from(ds.split!), [0, 1]);
  });

  test('class names that look like numbers are read as names first', async () => {
    const dir = await writeDataset({
      'dataset.json': { name: 'n', classes: ['1', '2'], labelColumn: 'y', modalities: { x: { file: 'x.csv' } } },
      'x.csv': 'y,v\n1,0\n2,0\n2,0\n',
    });
    assert.deepEqual(Array.from((await loadDataset(dir)).labels), [0, 1, 1]);
  });

  test('a CSV and a .npy modality with labels.npy that agrees with the CSV labels', async () => {
    const dir = await writeDataset({
      'dataset.json': { name: 'mix', classes: ['cat', 'dog'], labels: 'y.npy', modalities: { a: { file: 'a.csv', labelColumn: 'label' }, v: { file: 'v.npy' } } },
      'a.csv': A,
      'v.npy': npy('float32', [3, 2], [1, 2, 3, 4, 5, 6]),
      'y.npy': npy('int64', [3], [0n, 1n, 0n]),
    });
    const ds = await loadDataset(dir);
    assert.deepEqual(Array.from(ds.labels), [0, 1, 0]);
    assert.deepEqual(ds.modalities.map((m) => m.shape), [[2], [2]]);
  });

  test('a CSV opts out of the top-level label column with null', async () => {
    const dir = await writeDataset(twoViews({ modalities: { a: { file: 'a.csv' }, b: { file: 'b2.csv', labelColumn: null } } }, { 'b2.csv': 'p,q\n1,2\n3,4\n5,6\n' }));
    const ds = await loadDataset(dir);
    assert.deepEqual(Array.from(ds.modalities[1]!.data), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Array.from(ds.labels), [0, 1, 0]);
  });
});

interface Case {
  name: string;
  files: Files;
  code: DataErrorCode;
  file: string;
  fragments: (string | RegExp)[];
}

const cases: Case[] = [
  { name: 'ragged row', files: twoViews({}, { 'a.csv': 'f0,f1,label\n1,2,cat\n3,dog\n5,6,cat\n' }), code: 'CSV_RAGGED', file: 'a.csv', fragments: ['line 3 has 2 cells but the header has 3'] },
  { name: 'blank line in the middle', files: twoViews({}, { 'a.csv': 'f0,f1,label\n1,2,cat\n\n5,6,cat\n' }), code: 'CSV_RAGGED', file: 'a.csv', fragments: ['line 3', 'blank line'] },
  { name: 'non-numeric cell', files: twoViews({}, { 'a.csv': 'f0,f1,label\n1,2,cat\n3,x4,dog\n5,6,cat\n' }), code: 'CSV_NOT_NUMERIC', file: 'a.csv', fragments: ["line 3 (row 1), column 1: 'x4' is not a number"] },
  { name: 'empty cell', files: twoViews({}, { 'b.csv': 'label,g0\ncat,-1\ndog,\ncat,1\n' }), code: 'CSV_NOT_NUMERIC', file: 'b.csv', fragments: ['line 3 (row 1), column 1: empty cell'] },
  { name: 'semicolon-separated file', files: { 'dataset.json': { name: 'n', classes: 2, modalities: { x: { file: 'x.csv', header: false } }, labels: 'y.npy' }, 'x.csv': '1;2\n3;4\n', 'y.npy': npy('uint8', [2], [0, 1]) }, code: 'CSV_NOT_NUMERIC', file: 'x.csv', fragments: ['delimiter must be a comma'] },
  { name: 'hex is not a number', files: twoViews({}, { 'b.csv': 'label,g0\ncat,0x10\ndog,1\ncat,1\n' }), code: 'CSV_NOT_NUMERIC', file: 'b.csv', fragments: ["'0x10'"] },
  { name: 'NaN cell', files: twoViews({}, { 'b.csv': 'label,g0\ncat,1\ndog,1\ncat,nan\n' }), code: 'NON_FINITE', file: 'b.csv', fragments: ['line 4 (row 2), column 1: nan is not a finite number'] },
  { name: 'value beyond float32', files: twoViews({}, { 'b.csv': 'label,g0\ncat,1e39\ndog,1\ncat,1\n' }), code: 'VALUE_RANGE', file: 'b.csv', fragments: ['1e39'] },
  { name: 'label column name not in the header', files: twoViews({ labelColumn: 'class' }), code: 'CSV_LABEL_COLUMN', file: 'a.csv', fragments: ["no column named 'class'", "'f0', 'f1', 'label'"] },
  { name: 'label column index out of range', files: twoViews({ labelColumn: 3 }), code: 'CSV_LABEL_COLUMN', file: 'a.csv', fragments: ['label column 3 is outside the 3 columns', '-3..2'] },
  { name: 'ambiguous label column name (mfeat-style header)', files: twoViews({ labelColumn: '0' }, { 'a.csv': '0,1,0\n1,2,0\n3,4,1\n5,6,0\n' }), code: 'CSV_LABEL_COLUMN', file: 'a.csv', fragments: ["'0' appears 2 times", '"labelColumn": -1'] },
  { name: 'label name not a class', files: twoViews({}, { 'a.csv': 'f0,f1,label\n1,2,cat\n3,4,cow\n5,6,cat\n' }), code: 'LABEL_UNKNOWN_CLASS', file: 'a.csv', fragments: ["line 3 (row 1), column 2: label 'cow'", "'cat', 'dog'"] },
  { name: 'label index out of range', files: twoViews({}, { 'a.csv': 'f0,f1,label\n1,2,cat\n3,4,1\n5,6,2\n' }), code: 'LABEL_RANGE', file: 'a.csv', fragments: ['line 4 (row 2), column 2: label 2 is outside 0..1'] },
  { name: 'CSVs disagree on a label', files: twoViews({}, { 'b.csv': 'label,g0\ncat,1\ncat,1\ncat,1\n' }), code: 'LABEL_CONFLICT', file: 'b.csv', fragments: ["b.csv: label column 0 of b.csv has class 0 ('cat') at line 3 (row 1) but label column 2 of a.csv has class 1 ('dog')"] },
  { name: 'CSV disagrees with labels.npy', files: twoViews({ labels: 'y.npy' }, { 'y.npy': npy('int64', [3], [0n, 1n, 1n]) }), code: 'LABEL_CONFLICT', file: 'a.csv', fragments: ['at line 4 (row 2)', 'y.npy'] },
  { name: 'CSVs with different row counts', files: twoViews({}, { 'b.csv': 'label,g0\ncat,1\ndog,1\n' }), code: 'ROW_MISMATCH', file: 'b.csv', fragments: ['label column 0 of b.csv has 2 rows but label column 2 of a.csv has 3'] },
  { name: 'unlabelled CSV with fewer rows', files: twoViews({ modalities: { a: { file: 'a.csv' }, b: { file: 'b2.csv', labelColumn: null } } }, { 'b2.csv': 'p\n1\n' }), code: 'ROW_MISMATCH', file: 'b2.csv', fragments: ["b2.csv: modality 'b' has 1 row but label column 2 of a.csv has 3"] },
  { name: 'header only', files: twoViews({}, { 'b.csv': 'label,g0\n' }), code: 'EMPTY_MODALITY', file: 'b.csv', fragments: ['no data rows'] },
  { name: 'empty file', files: twoViews({}, { 'b.csv': '' }), code: 'EMPTY_MODALITY', file: 'b.csv', fragments: ['empty'] },
  { name: 'only a label column', files: twoViews({}, { 'b.csv': 'label\ncat\ndog\ncat\n' }), code: 'EMPTY_MODALITY', file: 'b.csv', fragments: ['no feature columns'] },
  { name: 'unterminated quote', files: twoViews({}, { 'b.csv': 'label,g0\n"cat,1\ndog,1\n' }), code: 'CSV_SYNTAX', file: 'b.csv', fragments: ['unterminated quoted field starting on line 2'] },
  { name: 'not UTF-8', files: twoViews({}, { 'b.csv': new Uint8Array([0x6c, 0xff, 0xfe, 0x0a]) }), code: 'CSV_SYNTAX', file: 'b.csv', fragments: ['UTF-8'] },
  { name: 'named label column without a header', files: twoViews({ modalities: { a: { file: 'a.csv', header: false } } }), code: 'INVALID_VALUE', file: 'dataset.json', fragments: ["'label' is a name but the file has no header"] },
  { name: 'fractional label column', files: twoViews({ labelColumn: 1.5 }), code: 'INVALID_VALUE', file: 'dataset.json', fragments: ["'labelColumn' must be a header name or an integer index"] },
  { name: 'header not a boolean', files: twoViews({ modalities: { a: { file: 'a.csv', header: 'yes' } } }), code: 'INVALID_VALUE', file: 'dataset.json', fragments: ["'header' must be true or false"] },
  { name: 'top-level labelColumn without CSV modalities', files: { 'dataset.json': { name: 'n', classes: 2, labelColumn: -1, labels: 'y.npy', modalities: { v: { file: 'v.npy' } } } }, code: 'INVALID_VALUE', file: 'dataset.json', fragments: ['no modality is a .csv file'] },
  { name: 'top-level labelColumn null', files: twoViews({ labelColumn: null }), code: 'INVALID_VALUE', file: 'dataset.json', fragments: ["'labelColumn'"] },
  { name: 'CSVs without label columns and no labels file', files: { 'dataset.json': { name: 'n', classes: 2, modalities: { x: { file: 'x.csv' } } }, 'x.csv': 'a\n1\n' }, code: 'MANIFEST_KEY_MISSING', file: 'dataset.json', fragments: ["'labels'"] },
];

describe('loadDataset rejects bad CSV datasets', () => {
  for (const c of cases) {
    test(`${c.name} -> ${c.code}`, async () => {
      await rejectsWith(async () => loadDataset(await writeDataset(c.files)), c.code, c.file, ...c.fragments);
    });
  }
});
