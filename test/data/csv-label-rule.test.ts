/**
 * Issue 8, defects 2 and 3: how a CSV label column is read when class names look like numbers, and a
 * CSV whose first row is data rather than a header. Both used to lose or change labels silently.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { loadDataset } from '../../src/data/index.js';
import { cleanup, rejectsWith, writeDataset, type Files } from './fixture.js';

after(cleanup);

/** One CSV modality with a header and the label in the last column; `classes` as given. */
function labelled(classes: unknown, labels: string[]): Files {
  const rows = labels.map((y, i) => `${i},${i * 2},${y}`).join('\n');
  return {
    'dataset.json': { name: 'n', classes, labelColumn: 'y', modalities: { v: { file: 'v.csv' } } },
    'v.csv': `f0,f1,y\n${rows}\n`,
  };
}

test('numeric class names with index labels 0..C-1: read as indices, never partly as names', async () => {
  // Before the fix, 0 was read as index 0 and 1 as the name "1" (also index 0): two labels for one class.
  const ds = await loadDataset(await writeDataset(labelled(['1', '2', '3'], ['0', '1', '2', '1'])));
  assert.deepEqual(Array.from(ds.labels), [0, 1, 2, 1]);
});

test('numeric class names used as names: read as names when some label is not a valid index', async () => {
  const ds = await loadDataset(await writeDataset(labelled(['1', '2', '3'], ['1', '2', '3', '3'])));
  assert.deepEqual(Array.from(ds.labels), [0, 1, 2, 2]);
});

test('a column that reads both ways, differently, is an error naming the cell', async () => {
  await rejectsWith(async () => loadDataset(await writeDataset(labelled(['1', '2', '3'], ['1', '2', '2', '1']))), 'LABEL_AMBIGUOUS', 'v.csv', "line 2 (row 0), column 2: label '1' could be the class named '1' (class 0) or class index 1 ('2')");
});

test('names and indices mixed in one column are an error', async () => {
  await rejectsWith(async () => loadDataset(await writeDataset(labelled(['cat', 'dog'], ['cat', '1', 'dog']))), 'LABEL_AMBIGUOUS', 'v.csv', 'not both');
});

test('a class count (names "0".."C-1") reads the same either way: accepted', async () => {
  const ds = await loadDataset(await writeDataset(labelled(3, ['2', '0', '1'])));
  assert.deepEqual(Array.from(ds.labels), [2, 0, 1]);
});

test('word names and integer labels keep working', async () => {
  const ds = await loadDataset(await writeDataset(labelled(['cat', 'dog'], ['1', '0', '1.0'])));
  assert.deepEqual(Array.from(ds.labels), [1, 0, 1]);
});

/** A CSV with a label column given by index, written without a header row. */
function headerless(header: boolean | undefined, text: string): Files {
  return {
    'dataset.json': { name: 'n', classes: 2, labelColumn: -1, modalities: { v: { file: 'v.csv', ...(header === undefined ? {} : { header }) } } },
    'v.csv': text,
  };
}

test('a CSV without a header row is an error, not a lost first example', async () => {
  await rejectsWith(async () => loadDataset(await writeDataset(headerless(undefined, '0.5,1.25,0\n2.5,3,1\n4,5,0\n'))), 'CSV_HEADER', 'v.csv', 'line 1 holds only numbers', '"header": false');
});

test('the same file with "header": false keeps all three rows', async () => {
  const ds = await loadDataset(await writeDataset(headerless(false, '0.5,1.25,0\n2.5,3,1\n4,5,0\n')));
  assert.equal(ds.labels.length, 3);
});

test('a first row of small integers is refused, never taken for column numbers: 60 rows stay 60', async () => {
  // Issue 8: 0,1,0 (features 0 and 1, label 0) read as column numbers lost an example without a word.
  const rows = Array.from({ length: 59 }, (_, i) => `${i % 3},${(i * 7) % 5},${i % 2}`);
  const text = ['0,1,0', ...rows].join('\n');
  await rejectsWith(async () => loadDataset(await writeDataset(headerless(undefined, text))), 'CSV_HEADER', 'v.csv', 'line 1 holds only numbers', '"header": false', '"header": true');
  assert.equal((await loadDataset(await writeDataset(headerless(false, text)))).labels.length, 60);
  // pandas' column numbers are no different: the same text as a data row.
  await rejectsWith(async () => loadDataset(await writeDataset(headerless(undefined, '0,1,2\n0.5,1.25,0\n2.5,3,1\n'))), 'CSV_HEADER', 'v.csv');
});

test('a header of numbers is a header when dataset.json says so: "header": true, or a label column by name', async () => {
  // mfeat's: the column numbers, and "0" again over the label column.
  assert.equal((await loadDataset(await writeDataset(headerless(true, '0,1,0\n0.5,1.25,0\n2.5,3,1\n')))).labels.length, 2);
  const byName = headerless(undefined, '0,1,2\n0.5,1.25,0\n2.5,3,1\n');
  byName['dataset.json'] = { name: 'n', classes: 2, labelColumn: '2', modalities: { v: { file: 'v.csv' } } };
  assert.equal((await loadDataset(await writeDataset(byName))).labels.length, 2);
});
