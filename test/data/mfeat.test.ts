/** The real UCI Multiple Features data through the CSV reader (needs ../shared/data). */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { loadDataset } from '../../src/data/index.js';
import { MFEAT_VIEWS, mfeatDataset, requireSharedData } from '../helpers/shared-data.js';

function counts(labels: Int32Array, classes: number): number[] {
  const out = new Array<number>(classes).fill(0);
  for (const y of labels) out[y]!++;
  return out;
}

describe('mfeat', () => {
  test('fac + mor: 2000 rows, 10 classes, 216 and 6 features', async (t: TestContext) => {
    if (requireSharedData(t) === null) return;
    const ds = await loadDataset(await mfeatDataset(['fac', 'mor']));
    assert.equal(ds.labels.length, 2000);
    assert.deepEqual(ds.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.deepEqual(counts(ds.labels, 10), new Array(10).fill(200));
    assert.deepEqual([ds.labels[0], ds.labels[1999]], [0, 9]); // the files are sorted by digit
    const [fac, mor] = ds.modalities;
    assert.equal(fac!.name, 'fac');
    assert.deepEqual(fac!.shape, [216]);
    assert.equal(fac!.data.length, 2000 * 216);
    assert.deepEqual(mor!.shape, [6]);
    assert.equal(mor!.data.length, 2000 * 6);
    // First data line of mfeat-mor.csv: 1,0,0,133.15,1.3117,1620.2,0 (last column = label).
    assert.deepEqual(Array.from(mor!.data.subarray(0, 6)), [1, 0, 0, 133.15, 1.3117, 1620.2].map(Math.fround));
    assert.equal(ds.license, 'CC BY 4.0');
    assert.equal(ds.split, null);
  });

  test('all six views load with their documented feature counts and agreeing labels', async (t: TestContext) => {
    if (requireSharedData(t) === null) return;
    const views = Object.keys(MFEAT_VIEWS) as (keyof typeof MFEAT_VIEWS)[];
    const ds = await loadDataset(await mfeatDataset(views));
    assert.deepEqual(ds.modalities.map((m) => m.shape[0]), views.map((v) => MFEAT_VIEWS[v]));
    for (const m of ds.modalities) assert.equal(m.data.length, 2000 * m.shape[0]!, m.name);
  });

  test('a second call reuses the same dataset directory', async (t: TestContext) => {
    if (requireSharedData(t) === null) return;
    assert.equal(await mfeatDataset(['kar', 'zer']), await mfeatDataset(['kar', 'zer']));
  });
});
