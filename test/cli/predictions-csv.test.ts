/** Issue 8, defect 4 and the CLI side of defect 11: the predictions file's quoting, and printed warnings. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCsv } from '../../src/data/csv.js';
import { gblend } from '../helpers/cli.js';
import { tinyDataset, writeDatasetDir } from '../helpers/tiny-dataset.js';

test('class names with a comma, a quote and a line break survive the predictions CSV', async () => {
  const ds = tinyDataset([{ name: 'a', shape: [4], separation: 2 }], 10, 3);
  ds.classes = ['a,b', 'say "hi"', 'two\nlines'];
  const data = await writeDatasetDir(ds);
  const work = await mkdtemp(join(tmpdir(), 'gblend-pred-csv-'));
  const model = join(work, 'model');
  const t = gblend('train', '--data', data, '--method', 'uni:a', '--epochs', '1', '--batch-size', '16', '--out', model, '--quiet');
  assert.equal(t.code, 0, t.stderr);
  const out = join(work, 'p.csv');
  const r = gblend('predict', '--model', model, '--data', data, '--out', out);
  assert.equal(r.code, 0, r.stderr);
  const { records } = parseCsv(await readFile(out, 'utf8'), 'p.csv', null);
  assert.deepEqual(records[0], ['row', 'predicted', 'p_a,b', 'p_say "hi"', 'p_two\nlines']);
  assert.equal(records.length, 31);
  for (const [i, rec] of records.slice(1).entries()) {
    assert.equal(rec.length, 5, `row ${i}`);
    assert.equal(rec[0], String(i));
    assert.ok(ds.classes.includes(rec[1]!), rec[1]);
  }
});

test('the CLI prints warnings about the data once, and the run still completes', async () => {
  const ds = tinyDataset([{ name: 'a', shape: [4], separation: 2 }, { name: 'b', shape: [3], separation: 1 }], 10, 3);
  ds.labels.fill(0);
  const data = await writeDatasetDir(ds);
  const r = gblend('compare', '--data', data, '--methods', 'uni:a,naive', '--epochs', '1', '--batch-size', '16');
  assert.equal(r.code, 0, r.stderr);
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '));
  assert.deepEqual(warnings, ["warning: the labels use one class only ('c0' of 3): the model cannot learn to tell classes apart, and every score is trivial"]);
});
