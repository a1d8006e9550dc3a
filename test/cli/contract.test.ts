/**
 * Issue 8, defects 6 to 10: the command line's contract. Usage errors and bad values exit 2 on one
 * line naming the flag; a diverging run stops with an error; input errors found by a run write nothing;
 * duplicate methods and bad --modalities are refused.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { serializeNpy } from '../../src/data/npy.js';
import { assertUserError, gblend } from '../helpers/cli.js';
import { tinyDataset, writeDatasetDir } from '../helpers/tiny-dataset.js';

const tiny = tinyDataset([{ name: 'a', shape: [6], separation: 1.5 }, { name: 'b', shape: [4], separation: 0.4 }], 15, 3);
let data = '';
let work = '';
let model = '';
const SMALL = ['--epochs', '1', '--batch-size', '16'];

before(async () => {
  data = await writeDatasetDir(tiny);
  work = await mkdtemp(join(tmpdir(), 'gblend-contract-'));
  model = join(work, 'model');
  const r = gblend('train', '--data', data, '--method', 'aux', ...SMALL, '--out', model, '--quiet');
  assert.equal(r.code, 0, r.stderr);
});

test('usage errors exit 2 on one line: unknown flag, bad choice, missing option, unknown command', () => {
  assertUserError(gblend('train', '--epochz', '3'), /unknown option '--epochz'.*--epochs/);
  assertUserError(gblend('predict', '--model', model, '--backend', 'gpu'), /argument 'gpu' is invalid/);
  assertUserError(gblend('predict'), /required option '--model <dir>' not specified/);
  assertUserError(gblend('report'), /missing required argument 'dir'/);
  assertUserError(gblend('frobnicate'), /unknown command 'frobnicate'/);
  assert.equal(gblend('train', '--help').code, 0);
  assert.equal(gblend('--version').code, 0);
});

test('a reader that closes the pipe early gets no stack trace (gblend --help | true)', () => {
  const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
  // `true` exits without reading, so every write of the help text meets a closed pipe (EPIPE).
  const r = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${CLI}" --help | true`], { encoding: 'utf8' });
  assert.doesNotMatch(r.stderr, /EPIPE|Unhandled|\bat /);
  assert.equal(r.status, 0, r.stderr);
});

test('bad flag values name the flag, in plain words', async () => {
  const cases: [string[], RegExp][] = [
    [['train', '--epochs', 'abc'], /^gblend: error: --epochs: must be a number, got 'abc'$/],
    [['train', '--epochs', '2.5'], /--epochs: must be a whole number, got 2\.5$/],
    [['train', '--epochs', '0x10'], /--epochs: must be a number, got '0x10'$/],
    [['train', '--lr', '-1'], /--lr: must be greater than 0, got -1$/],
    [['train', '--seed', '-3'], /--seed: must be at least 0, got -3$/],
    [['compare', '--seeds', '0'], /--seeds: must be greater than 0, got 0$/],
    [['train', '--val-fraction', '1'], /--val-fraction: must be less than 1, got 1$/],
    [['train', '--optimizer', 'rmsprop'], /--optimizer: must be one of sgd, adam, got 'rmsprop'$/],
    [['compare', '--modalities', ','], /--modalities: must list at least 1 item/],
  ];
  for (const [args, message] of cases) {
    const r = gblend(...args, '--data', data);
    assertUserError(r, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /Too small|Too big|Invalid input|expected/, args.join(' '));
  }
  // A config file's values are still named by the file and key.
  const cfg = join(work, 'c.yaml');
  await writeFile(cfg, 'epochs: 0\n');
  assertUserError(gblend('train', '--config', cfg), /c\.yaml: 'epochs': must be greater than 0, got 0$/);
});

test('--methods naive,naive is refused before anything runs', () => {
  const out = join(work, 'dup');
  assertUserError(gblend('compare', '--data', data, '--methods', 'naive,aux,naive', ...SMALL, '--out', out), /--methods: lists 'naive' twice/);
  assert.ok(!existsSync(out));
});

// Diverged in its first epoch, a run has no good epoch to keep: nothing is written.
test('a diverging run stops at the step, names method, seed, epoch and step, and writes nothing', () => {
  const out = join(work, 'diverged');
  const log = join(work, 'diverged.jsonl');
  const r = gblend('train', '--data', data, '--method', 'naive', '--epochs', '3', '--batch-size', '16', '--lr', '1e6', '--seed', '2', '--out', out, '--log', log, '--quiet');
  assertUserError(r, /method naive, seed 2: the training loss became (NaN|-?Infinity) at epoch \d, step \d of 3: training diverged/);
  for (const p of [out, log, `${log}.partial`]) assert.ok(!existsSync(p), p);
  const cmp = join(work, 'diverged-cmp');
  const c = gblend('compare', '--data', data, '--methods', 'gblend-offline', ...SMALL, '--lr', '1e6', '--out', cmp, '--quiet');
  assertUserError(c, /method gblend-offline, seed 0, blend estimate after epoch 0, in the copy of head '\w+': the training loss became/);
  assert.ok(!existsSync(cmp));
});

test('a run that diverges after an epoch keeps the checkpoint of that epoch, named in the error; --resume stops at the same step', () => {
  const out = join(work, 'kept');
  const log = join(work, 'kept.jsonl');
  const args = ['train', '--data', data, '--method', 'naive', '--epochs', '4', '--batch-size', '16', '--lr', '1e3', '--seed', '2', '--out', out, '--log', log, '--quiet'];
  const kept = /method naive, seed 2: the training loss became (NaN|-?Infinity) at epoch 2, step 1 of 3: training diverged; .*; the checkpoint of epoch 1, the last good one, is kept in \S+kept\.checkpoint$/;
  assertUserError(gblend(...args), kept);
  for (const p of [`${out}.checkpoint`, `${log}.partial`]) assert.ok(existsSync(p), p);
  assert.ok(!existsSync(out), 'no model from a diverged run');
  assertUserError(gblend(...args, '--resume'), kept);
  for (const jobs of ['1', '2']) {
    const cmp = join(work, `kept-${jobs}`);
    const c = gblend('compare', '--data', data, '--methods', 'naive', '--epochs', '4', '--batch-size', '16', '--lr', '1e3', '--jobs', jobs, '--out', cmp, '--quiet');
    assertUserError(c, /method naive, seed 0: .* at epoch 2, .*; the checkpoint of epoch 1, the last good one, is kept in \S+naive_seed0\.ckpt$/, `--jobs ${jobs}`);
    for (const p of ['checkpoints/naive_seed0.ckpt', 'runs/naive_seed0.jsonl.partial']) assert.ok(existsSync(join(cmp, p)), `--jobs ${jobs}: ${p}`);
  }
});

test('input errors that a run finds write nothing: no empty .partial logs, no training first', async () => {
  // V of 95% leaves too few training examples for T': found when the splits are drawn.
  const cmp = join(work, 'bad-split');
  assertUserError(gblend('compare', '--data', data, '--methods', 'naive,aux', ...SMALL, '--val-fraction', '0.95', '--out', cmp), /--val-fraction 0\.95/);
  assert.ok(!existsSync(cmp));
  const log = join(work, 'bad-split.jsonl');
  assertUserError(gblend('train', '--data', data, ...SMALL, '--val-fraction', '0.95', '--out', join(work, 'm'), '--log', log), /--val-fraction/);
  assert.deepEqual((await readdir(work)).filter((f) => f.startsWith('bad-split')), []);
  // A split.npy with no test rows used to train fully and fail at the end; one stderr line = no training.
  const noTest = await writeDatasetDir(tiny);
  await writeFile(join(noTest, 'split.npy'), serializeNpy({ dtype: 'uint8', shape: [45], data: new Uint8Array(45) }));
  await writeFile(join(noTest, 'dataset.json'), JSON.stringify({ name: 't', classes: tiny.classes, modalities: { a: { file: 'a.npy' }, b: { file: 'b.npy' } }, labels: 'labels.npy', split: 'split.npy' }));
  const out = join(work, 'no-test');
  assertUserError(gblend('compare', '--data', noTest, ...SMALL, '--out', out), /split\.npy: split marks all 45 rows as train \(0\): no test data/);
  assert.ok(!existsSync(out));
});

test('values that do not fit the data name the flag typed, or the config file and key; never only the config key', async () => {
  const cases: [string[], RegExp][] = [
    [['--val-fraction', '0.95'], /^gblend: error: --val-fraction 0\.95 leaves \d+ training examples, fewer than \|V\|/],
    [['--train-examples', '50'], /^gblend: error: --train-examples 50 is more than the 36 training examples$/],
    [['--input-noise', 'zz=1'], /^gblend: error: --input-noise: 'zz' is not a modality of \S+ \(a, b\)$/],
    [['--modalities', 'zz'], /^gblend: error: --modalities: unknown modality 'zz'; available: 'a', 'b'$/],
  ];
  for (const [flags, message] of cases) {
    for (const [command, jobs] of [['train', []], ['compare', ['--jobs', '2']]] as const) {
      const out = join(work, `named-${command}`);
      assertUserError(gblend(command, '--data', data, ...SMALL, ...jobs, ...flags, '--out', out), message, `${command} ${flags.join(' ')}`);
      assert.ok(!existsSync(out), out);
    }
  }
  const cfg = join(work, 'fit.yaml');
  await writeFile(cfg, 'valFraction: 0.95\ninputNoise: {zz: 1}\n');
  assertUserError(gblend('train', '--data', data, '--config', cfg, ...SMALL), /fit\.yaml: inputNoise: 'zz' is not a modality/);
  // A flag overrides the file's value, and is the one named.
  assertUserError(gblend('train', '--data', data, '--config', cfg, ...SMALL, '--input-noise', 'a=1', '--val-fraction', '0.9'), /: --val-fraction 0\.9 leaves/);
  await writeFile(cfg, 'modalities: [a, zz]\n');
  assertUserError(gblend('compare', '--data', data, '--config', cfg, ...SMALL), /fit\.yaml: modalities: unknown modality 'zz'; available: 'a', 'b'$/);
});

test('predict --modalities: unknown names, an empty list, and data the model does not know', async () => {
  assertUserError(gblend('predict', '--model', model, '--data', data, '--modalities', 'a,zz'), /--modalities\): 'zz' is not a modality of the model \(it knows 'a', 'b'\)/);
  assertUserError(gblend('predict', '--model', model, '--data', data, '--modalities', ''), /--modalities: names no modality/);
  assertUserError(gblend('predict', '--model', model, '--data', data, '--modalities', 'a,a'), /names 'a' twice/);
  const extra = tinyDataset([{ name: 'a', shape: [6], separation: 1.5 }, { name: 'b', shape: [4], separation: 0.4 }, { name: 'c', shape: [2], separation: 1 }], 15, 3);
  const withC = await writeDatasetDir(extra);
  assertUserError(gblend('predict', '--model', model, '--data', withC), /the data has modality 'c' that the model was not trained on \(it knows 'a', 'b'\); choose/);
  const chosen = gblend('predict', '--model', model, '--data', withC, '--modalities', 'a,b');
  assert.equal(chosen.code, 0, chosen.stderr);
  assert.match(chosen.stdout, /modalities used: a, b; heads: fused/);
});
