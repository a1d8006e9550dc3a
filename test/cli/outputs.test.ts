/**
 * Issue 8, defects 1 and 5: gblend never deletes what it did not write, replaces its own models
 * atomically, and checks every output before training, so a bad output path is one line and exit 2.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { assertUserError, gblend } from '../helpers/cli.js';
import { tinyDataset, writeDatasetDir } from '../helpers/tiny-dataset.js';

const tiny = tinyDataset([{ name: 'a', shape: [6], separation: 1.5 }, { name: 'b', shape: [4], separation: 0.4 }], 15, 3);
let data = '';
let work = '';
/** A model trained once, copied where a test needs one to damage. */
let model = '';
const TRAIN = (): string[] => ['train', '--data', data, '--method', 'naive', '--epochs', '1', '--batch-size', '16'];

/** A folder where nothing can be created, as any user (root ignores permission bits, not sysfs). */
async function unwritableDir(): Promise<string> {
  if (process.getuid?.() === 0) return '/sys';
  const dir = await mkdtemp(join(work, 'ro-'));
  await chmod(dir, 0o555);
  return dir;
}

async function copyModel(name: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir);
  for (const f of ['model.json', 'weights.bin', 'gblend.json']) await copyFile(join(model, f), join(dir, f));
  return dir;
}

before(async () => {
  data = await writeDatasetDir(tiny);
  work = await mkdtemp(join(tmpdir(), 'gblend-outputs-'));
  model = join(work, 'model');
  const r = gblend(...TRAIN(), '--out', model, '--quiet');
  assert.equal(r.code, 0, r.stderr);
});

test('train --out a folder of other files: refused, every file kept', async () => {
  const dir = join(work, 'my-documents');
  await mkdir(dir);
  await writeFile(join(dir, 'notes.txt'), 'precious');
  assertUserError(gblend(...TRAIN(), '--out', dir), /my-documents: the folder is not empty and holds no gblend model \(it has "notes\.txt"\)/);
  assert.equal(await readFile(join(dir, 'notes.txt'), 'utf8'), 'precious');
});

test('train --out the dataset folder: refused, the dataset intact', async () => {
  const before = (await readdir(data)).sort();
  assertUserError(gblend(...TRAIN(), '--out', data), /not empty and holds no gblend model/);
  assert.deepEqual((await readdir(data)).sort(), before);
});

test('train --out a model folder that also holds other files: refused', async () => {
  const dir = await copyModel('model-plus');
  await writeFile(join(dir, 'README.txt'), 'mine');
  assertUserError(gblend(...TRAIN(), '--out', dir), /holds a gblend model and other files \("README\.txt"\)/);
  assert.ok(existsSync(join(dir, 'README.txt')));
});

test('train --out an existing model replaces it, and leaves no temporary folder', async () => {
  const dir = await copyModel('model-again');
  const r = gblend(...TRAIN(), '--seed', '1', '--out', dir, '--quiet');
  assert.equal(r.code, 0, r.stderr);
  const meta = JSON.parse(await readFile(join(dir, 'gblend.json'), 'utf8'));
  assert.equal(meta.config.seed, 1);
  assert.deepEqual((await readdir(dir)).sort(), ['gblend.json', 'model.json', 'weights.bin']);
  assert.deepEqual((await readdir(work)).filter((f) => f.includes('model-again')), ['model-again']);
});

test('train --out that is a file: refused before training, the file unchanged', async () => {
  const file = join(work, 'a-file');
  await writeFile(file, 'keep me');
  // Without --quiet, training would print progress: a single stderr line proves it never started.
  assertUserError(gblend(...TRAIN(), '--out', file), /a-file: is a file; a model is saved as a folder/);
  assert.equal(await readFile(file, 'utf8'), 'keep me');
});

test('unwritable outputs are found before training: --out, --log, predict --out, compare --out', async () => {
  const ro = await unwritableDir();
  assertUserError(gblend(...TRAIN(), '--out', join(ro, 'm')), /cannot write the model: .*(permission denied|not permitted)/);
  assertUserError(gblend(...TRAIN(), '--out', join(work, 'm-log'), '--log', join(ro, 'run.jsonl')), /run\.jsonl: cannot write the run log/);
  assertUserError(gblend('predict', '--model', model, '--data', data, '--out', join(ro, 'p.csv')), /p\.csv: cannot write the predictions/);
  assertUserError(gblend('compare', '--data', data, '--methods', 'naive', '--epochs', '1', '--out', join(ro, 'cmp')), /cmp: cannot write the comparison/);
  assert.ok(!existsSync(join(work, 'm-log')));
});

test('outputs of the wrong kind: --log a folder, predict --out a folder, compare --out a file', async () => {
  const folder = await mkdtemp(join(work, 'folder-'));
  assertUserError(gblend(...TRAIN(), '--out', join(work, 'm2'), '--log', folder), /cannot write the run log: it is a folder/);
  assertUserError(gblend('predict', '--model', model, '--data', data, '--out', folder), /cannot write the predictions: it is a folder/);
  const file = join(work, 'results-file');
  await writeFile(file, '');
  assertUserError(gblend('compare', '--data', data, '--methods', 'naive', '--epochs', '1', '--out', file), /results-file: cannot write the comparison: it is a file/);
  assert.ok(!existsSync(join(work, 'm2')));
});

test('a damaged model: one line naming the file', async () => {
  const cut = await copyModel('model-cut');
  await truncate(join(cut, 'weights.bin'), 100);
  assertUserError(gblend('predict', '--model', cut, '--data', data), /weights\.bin: truncated: model\.json's weights need \d+ bytes, the file has 100/);
  const meta = await copyModel('model-meta');
  await writeFile(join(meta, 'gblend.json'), JSON.stringify({ format: 'gblend-model', version: 1, method: 'naive', classes: ['c0', 'c1', 'c2'], heads: ['fused'] }));
  assertUserError(gblend('predict', '--model', meta, '--data', data), /gblend\.json: field 'modalities' is missing or malformed/);
  const topo = await copyModel('model-topology');
  await writeFile(join(topo, 'model.json'), '{"weightsManifest": []}');
  assertUserError(gblend('predict', '--model', topo, '--data', data), /model\.json: field 'modelTopology' is missing/);
});

test('report on a malformed results.json or run log: one line naming the file', async () => {
  const dir = await mkdtemp(join(work, 'report-'));
  const cases: [string, RegExp][] = [
    ['{"methods": 5}', /results\.json: field 'dataset' is missing or malformed/],
    ['[1, 2]', /results\.json: field '\(top level\)'/],
    ['{"dataset": "d", "modalities": ["a"], "epochs": 1, "methods": {"naive": {}}}', /field 'methods\.naive\.seeds'/],
  ];
  for (const [text, message] of cases) {
    await writeFile(join(dir, 'results.json'), text);
    assertUserError(gblend('report', dir), message, text);
  }
  const cmp = join(work, 'cmp-for-report');
  assert.equal(gblend('compare', '--data', data, '--methods', 'gblend-offline', '--epochs', '1', '--batch-size', '16', '--out', cmp, '--quiet').code, 0);
  await writeFile(join(cmp, 'runs', 'gblend-offline_seed0.jsonl'), '{"event": "epoch"}\n');
  assertUserError(gblend('report', cmp), /gblend-offline_seed0\.jsonl: line 1 is not a run event/);
  // Hand-edited deeper down: a value of the wrong type where the report reads it.
  await writeFile(join(cmp, 'runs', 'gblend-offline_seed0.jsonl'), '{"event": "blend_estimate", "epoch": 0, "epochs": 1, "heads": {"a": {}}, "weights": {}, "fallback": 5}\n');
  assertUserError(gblend('report', cmp), /cmp-for-report: results\.json or a run log holds a value of the wrong type/);
});
