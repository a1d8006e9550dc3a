/**
 * The user's default path, on native: train, save and predict end to end (the CLI and API
 * tests elsewhere force WASM). Values, not just types: predict's accuracy and macro-F1
 * recomputed from the predictions and the labels, and the probabilities it writes against
 * the same saved model run on the cpu backend.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { predict, type PredictResult } from '../../../src/api/predict.js';
import { saveTrained, train } from '../../../src/api/train.js';
import { engineInfo } from '../../../src/engine/index.js';
import { tinyDataset, writeDatasetDir } from '../../helpers/tiny-dataset.js';
import { nativeSkip } from './helpers.js';

const skip = nativeSkip();
const CLI = new URL('../../../src/cli/main.js', import.meta.url).pathname;
/** Probabilities: native against cpu on the same weights, and the CSV's 5 decimals. */
const PROB_TOL = 1e-4;

// A vector modality (MLP encoder) and an image (conv encoder): dense, conv and pooling kernels.
const dataset = tinyDataset([{ name: 'vec', shape: [6], separation: 1.5 }, { name: 'img', shape: [6, 6], separation: 0.8 }], 20, 3);
const labels = Array.from(dataset.labels);
let data = '';
let work = '';

before(async () => {
  data = await writeDatasetDir(dataset);
  work = await mkdtemp(join(tmpdir(), 'gblend-native-e2e-'));
});

/** Top-1 and macro-F1 from scratch (per class F1 = 2 tp / (2 tp + fp + fn), averaged). */
function scores(predicted: number[], truth: number[], classes: number): { accuracy: number; macroF1: number } {
  const hits = predicted.filter((p, i) => p === truth[i]).length;
  let f1 = 0;
  for (let c = 0; c < classes; c++) {
    const tp = predicted.filter((p, i) => p === c && truth[i] === c).length;
    const fp = predicted.filter((p, i) => p === c && truth[i] !== c).length;
    const fn = predicted.filter((p, i) => p !== c && truth[i] === c).length;
    f1 += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return { accuracy: hits / truth.length, macroF1: f1 / classes };
}

function argMax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/** Native's probabilities match cpu's on the same model, and its predictions are their argmax. */
function assertSameModel(got: { predicted: number[]; probabilities: ArrayLike<number> }, reference: PredictResult, what: string): void {
  const k = reference.classes.length;
  let worst = 0;
  for (let i = 0; i < reference.probabilities.length; i++) worst = Math.max(worst, Math.abs(got.probabilities[i]! - reference.probabilities[i]!));
  assert.ok(worst <= PROB_TOL, `${what}: probabilities differ from cpu's by up to ${worst}`);
  for (let r = 0; r < got.predicted.length; r++) {
    const row = Array.from({ length: k }, (_, c) => got.probabilities[r * k + c]!);
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-4, `${what}: row ${r} sums to ${row.reduce((a, b) => a + b, 0)}`);
    assert.equal(got.predicted[r], argMax(row), `${what}: row ${r} predicts other than its largest probability`);
  }
}

test('CLI on native: train, save, predict; printed top-1 and macro-F1 and the written probabilities check out', { skip }, async () => {
  const env = { ...process.env, GBLEND_BACKEND: 'native' };
  const cfg = join(work, 'cfg.yaml');
  await writeFile(cfg, `data: ${data}\nmethod: gblend-online\nepochs: 6\nbatchSize: 16\nblend:\n  warmupEpochs: 1\n  superEpochEpochs: 2\n` +
    `optimizer:\n  kind: adam\n  lr: 0.005\n`);
  const model = join(work, 'cli-model');
  const t = spawnSync(process.execPath, [CLI, 'train', '--config', cfg, '--out', model, '--quiet'], { encoding: 'utf8', env });
  assert.equal(t.status, 0, t.stderr);
  const csvPath = join(work, 'pred.csv');
  const p = spawnSync(process.execPath, [CLI, 'predict', '--model', model, '--data', data, '--out', csvPath, '--backend', 'native'], { encoding: 'utf8', env });
  assert.equal(p.status, 0, p.stderr);
  const printed = /top-1 (\d+\.\d\d)%, macro-F1 (\d+\.\d\d)%/.exec(p.stdout);
  assert.ok(printed, p.stdout);
  const rows = (await readFile(csvPath, 'utf8')).trim().split('\n').slice(1).map((l) => l.split(','));
  assert.equal(rows.length, labels.length);
  const predicted = rows.map((r) => dataset.classes.indexOf(r[1]!));
  const probabilities = rows.flatMap((r) => r.slice(2).map(Number));
  const own = scores(predicted, labels, dataset.classes.length);
  assert.equal(printed[1], (100 * own.accuracy).toFixed(2), 'printed top-1');
  assert.equal(printed[2], (100 * own.macroF1).toFixed(2), 'printed macro-F1');
  assert.ok(own.accuracy >= 0.8, `training on native did not learn: top-1 ${own.accuracy}`);
  assertSameModel({ predicted, probabilities }, await predict(model, data, { backend: 'cpu' }), 'CLI predictions file');
});

test('API on the default backend (native here): train, save, predict; scores and probabilities against cpu', { skip }, async () => {
  const run = await train({ method: 'aux', epochs: 5, batchSize: 16, optimizer: { kind: 'adam', lr: 0.005 } }, {}, dataset);
  assert.equal(engineInfo()?.backend, 'native', 'auto picks native where the addon loads');
  const model = join(work, 'api-model');
  await saveTrained(run, model);
  run.model.dispose();
  const native = await predict(model, data);
  assert.equal(engineInfo()?.backend, 'native');
  const cpu = await predict(model, data, { backend: 'cpu' });
  const predicted = Array.from(native.predicted);
  assertSameModel({ predicted, probabilities: native.probabilities }, cpu, 'API');
  const own = scores(predicted, labels, dataset.classes.length);
  assert.ok(Math.abs(native.accuracy! - own.accuracy) < 1e-12, `accuracy ${native.accuracy}, recomputed ${own.accuracy}`);
  assert.ok(Math.abs(native.macroF1! - own.macroF1) < 1e-12, `macro-F1 ${native.macroF1}, recomputed ${own.macroF1}`);
  assert.ok(own.accuracy >= 0.8, `training on native did not learn: top-1 ${own.accuracy}`);
  // Missing modality: uni-modal head on native, against cpu.
  const onlyVec = await predict(model, data, { modalities: ['vec'] });
  assertSameModel({ predicted: Array.from(onlyVec.predicted), probabilities: onlyVec.probabilities }, await predict(model, data, { modalities: ['vec'], backend: 'cpu' }), 'API, vec only');
});
