import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { loadDataset } from '../../src/data/index.js';
import { cleanup, goodFiles, goodManifest, npy, writeDataset } from './fixture.js';

after(cleanup);

describe('loadDataset on a good dataset', () => {
  test('reads every field with the right values', async () => {
    const dir = await writeDataset(goodFiles());
    const ds = await loadDataset(dir);
    assert.equal(ds.name, 'segments');
    assert.equal(ds.dir, path.resolve(dir));
    assert.deepEqual(ds.classes, ['sky', 'grass']);
    assert.equal(ds.description, 'a tiny fixture');
    assert.equal(ds.license, 'CC0');
    assert.equal(ds.source, 'hand-made');
    assert.deepEqual(ds.modalities.map((m) => m.name), ['shape', 'colour']);

    const [shape, colour] = ds.modalities;
    assert.deepEqual(shape!.shape, [3]);
    assert.equal(shape!.encoder, null);
    assert.equal(shape!.sourceDtype, 'float32');
    assert.ok(shape!.data instanceof Float32Array);
    assert.deepEqual(Array.from(shape!.data), [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5]);

    assert.deepEqual(colour!.shape, [2, 2]);
    assert.equal(colour!.encoder, 'conv');
    assert.equal(colour!.sourceDtype, 'uint8');
    assert.ok(colour!.data instanceof Float32Array);
    assert.equal(colour!.data[13], 13); // raw values, not scaled to 0..1

    assert.ok(ds.labels instanceof Int32Array);
    assert.deepEqual(Array.from(ds.labels), [0, 1, 1, 0]);
    assert.ok(ds.split instanceof Uint8Array);
    assert.deepEqual(Array.from(ds.split!), [0, 0, 1, 0]);
  });

  test('optional parts default to null; one modality and a class count are fine', async () => {
    const dir = await writeDataset({
      'dataset.json': { name: 'uni', classes: 3, modalities: { x: { file: 'x.npy' } }, labels: 'y.npy' },
      'x.npy': npy('float32', [3, 1], [7, 8, 9]),
      'y.npy': npy('uint8', [3], [2, 0, 1]),
    });
    const ds = await loadDataset(dir);
    assert.deepEqual(ds.classes, ['0', '1', '2']);
    assert.equal(ds.split, null);
    assert.equal(ds.description, null);
    assert.equal(ds.license, null);
    assert.equal(ds.source, null);
    assert.deepEqual(Array.from(ds.labels), [2, 0, 1]);
    assert.deepEqual(Array.from(ds.modalities[0]!.data), [7, 8, 9]);
  });

  test('float64 and integer modalities are converted to float32 values', async () => {
    const dir = await writeDataset({
      'dataset.json': {
        name: 'conv', classes: 2, labels: 'y.npy', split: 's.npy',
        modalities: { a: { file: 'a.npy' }, b: { file: 'b.npy' }, c: { file: 'c.npy' }, d: { file: 'd.npy' } },
      },
      'a.npy': npy('float64', [2, 2], [0.1, -2.5, 1e30, 3]),
      'b.npy': npy('int16', [2, 1], [-300, 12000]),
      'c.npy': npy('int64', [2, 1], [-(2n ** 24n), 5n]),
      'd.npy': npy('uint16', [2, 1], [65535, 0]),
      'y.npy': npy('int32', [2], [1, 0]),
      's.npy': npy('bool', [2], [0, 1]),
    });
    const ds = await loadDataset(dir);
    const [a, b, c, d] = ds.modalities;
    assert.equal(a!.sourceDtype, 'float64');
    assert.deepEqual(Array.from(a!.data), [Math.fround(0.1), -2.5, Math.fround(1e30), 3]);
    assert.deepEqual(Array.from(b!.data), [-300, 12000]);
    assert.equal(b!.sourceDtype, 'int16');
    assert.deepEqual(Array.from(c!.data), [-16777216, 5]);
    assert.deepEqual(Array.from(d!.data), [65535, 0]);
    assert.deepEqual(Array.from(ds.split!), [0, 1]);
  });

  test('file paths are relative to the dataset directory and may use subfolders', async () => {
    const files = goodFiles();
    const manifest = goodManifest();
    manifest['modalities'] = { shape: { file: 'views/shape.npy' } };
    const dir = await writeDataset({ ...files, 'dataset.json': manifest, 'views/shape.npy': files['shape.npy']!, 'shape.npy': null });
    const ds = await loadDataset(dir);
    assert.deepEqual(Array.from(ds.modalities[0]!.data.slice(0, 3)), [0, 0.5, 1]);
  });

  test('loading writes nothing into the dataset directory', async () => {
    const dir = await writeDataset(goodFiles());
    const snapshot = async (): Promise<string[]> => {
      const names = (await readdir(dir)).sort();
      return Promise.all(names.map(async (n) => `${n}:${(await stat(path.join(dir, n))).mtimeMs}`));
    };
    const before = await snapshot();
    await loadDataset(dir);
    assert.deepEqual(await snapshot(), before);
  });
});
