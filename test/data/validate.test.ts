/** validateDataset on datasets built in memory, and selectModalities. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DataErrorCode } from '../../src/data/errors.js';
import { selectModalities, validateDataset, type Dataset, type ModalityData } from '../../src/data/index.js';
import { rejectsWith } from './fixture.js';

function modality(name: string, shape: number[], values: number[]): ModalityData {
  return { name, shape, data: Float32Array.from(values), encoder: null, sourceDtype: 'float32' };
}

/** 3 rows, 2 classes; modality a is [3, 2], b is [3, 1, 2]. */
function good(): Dataset {
  return {
    name: 'mem',
    dir: null,
    classes: ['no', 'yes'],
    modalities: [modality('a', [2], [1, 2, 3, 4, 5, 6]), modality('b', [1, 2], [0, 0, 1, 1, 2, 2])],
    labels: Int32Array.from([0, 1, 1]),
    split: Uint8Array.from([0, 1, 0]),
    description: null,
    license: null,
    source: null,
  };
}

const ORIGIN = 'in-memory dataset';

interface Case {
  name: string;
  edit: (ds: Dataset) => void;
  code: DataErrorCode;
  fragments: string[];
}

const cases: Case[] = [
  { name: 'empty name', edit: (ds) => (ds.name = ' '), code: 'INVALID_VALUE', fragments: ["'name'"] },
  { name: 'one class', edit: (ds) => (ds.classes = ['only']), code: 'CLASSES', fragments: ['at least 2'] },
  { name: 'empty class name', edit: (ds) => (ds.classes = ['a', '']), code: 'CLASSES', fragments: ['class 1'] },
  { name: 'no modalities', edit: (ds) => (ds.modalities = []), code: 'NO_MODALITIES', fragments: ['at least one'] },
  { name: 'duplicate modality', edit: (ds) => (ds.modalities = [ds.modalities[0]!, ds.modalities[0]!]), code: 'DUPLICATE_MODALITY', fragments: ["'a' appears twice"] },
  { name: 'bad modality name', edit: (ds) => (ds.modalities[0]!.name = 'a,b'), code: 'INVALID_VALUE', fragments: ["'a,b'"] },
  { name: 'bad encoder', edit: (ds) => ((ds.modalities[0] as { encoder: unknown }).encoder = 'rnn'), code: 'INVALID_VALUE', fragments: ['"rnn"'] },
  { name: 'data not Float32Array', edit: (ds) => ((ds.modalities[0] as { data: unknown }).data = [1, 2, 3, 4, 5, 6]), code: 'INVALID_VALUE', fragments: ['Float32Array'] },
  { name: '0-D per example', edit: (ds) => (ds.modalities[0]!.shape = []), code: 'SHAPE', fragments: ['0-D per example'] },
  { name: 'fractional dimension', edit: (ds) => (ds.modalities[0]!.shape = [1.5]), code: 'SHAPE', fragments: ['[1.5]'] },
  { name: 'data length not a multiple of the shape', edit: (ds) => (ds.modalities[0]!.shape = [4]), code: 'SHAPE', fragments: ['6 values, not a multiple of the 4'] },
  { name: '0 features', edit: (ds) => (ds.modalities[1]!.shape = [1, 0]), code: 'EMPTY_MODALITY', fragments: ['0 features'] },
  { name: '0 rows', edit: (ds) => { ds.modalities[0]!.data = new Float32Array(0); ds.labels = new Int32Array(0); ds.split = null; }, code: 'EMPTY_MODALITY', fragments: ['0 rows'] },
  { name: 'row mismatch', edit: (ds) => (ds.modalities[1]!.data = new Float32Array(8)), code: 'ROW_MISMATCH', fragments: ["modality 'b' has 4 rows but the label array has 3"] },
  { name: 'NaN', edit: (ds) => (ds.modalities[1]!.data[5] = NaN), code: 'NON_FINITE', fragments: ["modality 'b' has NaN at row 2, column 1 (index [0, 1] within the example)"] },
  { name: 'Infinity', edit: (ds) => (ds.modalities[0]!.data[0] = Infinity), code: 'NON_FINITE', fragments: ['Infinity at row 0, column 0'] },
  { name: 'labels not Int32Array', edit: (ds) => ((ds as { labels: unknown }).labels = [0, 1, 1]), code: 'INVALID_VALUE', fragments: ['Int32Array'] },
  { name: 'label out of range', edit: (ds) => (ds.labels[2] = 2), code: 'LABEL_RANGE', fragments: ['label 2 at row 2 is outside 0..1'] },
  { name: 'split too short', edit: (ds) => (ds.split = Uint8Array.from([0, 1])), code: 'ROW_MISMATCH', fragments: ['split has 2 rows but the label array has 3'] },
  { name: 'split value', edit: (ds) => (ds.split = Uint8Array.from([0, 3, 0])), code: 'SPLIT_VALUE', fragments: ['split value 3 at row 1'] },
  { name: 'split without training rows', edit: (ds) => (ds.split = Uint8Array.from([1, 1, 1])), code: 'SPLIT_NO_TRAIN', fragments: ['all 3 rows as test'] },
];

describe('validateDataset', () => {
  test('accepts a good in-memory dataset, uni-modal included', () => {
    validateDataset(good(), ORIGIN);
    validateDataset({ ...good(), modalities: [good().modalities[0]!], split: null }, ORIGIN);
  });

  for (const c of cases) {
    test(`${c.name} -> ${c.code}`, async () => {
      const ds = good();
      c.edit(ds);
      await rejectsWith(() => validateDataset(ds, ORIGIN), c.code, ORIGIN, ...c.fragments);
    });
  }
});

describe('selectModalities', () => {
  test('keeps the named modalities in the order given, sharing the arrays', () => {
    const ds = good();
    const sel = selectModalities(ds, ['b', 'a']);
    assert.deepEqual(sel.modalities.map((m) => m.name), ['b', 'a']);
    assert.equal(sel.modalities[0]!.data, ds.modalities[1]!.data);
    assert.equal(sel.labels, ds.labels);
    assert.deepEqual(ds.modalities.map((m) => m.name), ['a', 'b'], 'the input is not changed');
    assert.deepEqual(selectModalities(ds, ['b']).modalities.map((m) => m.name), ['b']);
  });

  test('unknown name lists the available ones', async () => {
    await rejectsWith(() => selectModalities(good(), ['a', 'c']), 'UNKNOWN_MODALITY', "dataset 'mem'", "unknown modality 'c'; available: 'a', 'b'");
  });

  test('a loaded dataset names dataset.json', async () => {
    await rejectsWith(() => selectModalities({ ...good(), dir: '/x' }, ['z']), 'UNKNOWN_MODALITY', 'dataset.json', "'z'");
  });

  test('empty or repeated selections are errors', async () => {
    await rejectsWith(() => selectModalities(good(), []), 'NO_MODALITIES', "dataset 'mem'", "available: 'a', 'b'");
    await rejectsWith(() => selectModalities(good(), ['a', 'a']), 'DUPLICATE_MODALITY', "dataset 'mem'", "'a' is selected twice");
  });
});
