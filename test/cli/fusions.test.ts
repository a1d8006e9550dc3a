/** `--fusion` on the command line: every fusion runs naive and online G-Blend; bad choices are one-line errors. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { FUSION_NAMES } from '../../src/models/fusions/names.js';
import { assertUserError, gblend } from '../helpers/cli.js';
import { tinyDataset, writeDatasetDir } from '../helpers/tiny-dataset.js';

const SMALL = ['--epochs', '2', '--batch-size', '16', '--warmup-epochs', '1', '--super-epoch-epochs', '1', '--seeds', '1'];
let data = '';
let work = '';

before(async () => {
  data = await writeDatasetDir(tinyDataset([{ name: 'a', shape: [6], separation: 1.5 }, { name: 'b', shape: [5, 5], separation: 0.4 }], 12, 3));
  work = await mkdtemp(join(tmpdir(), 'gblend-fusion-'));
});

for (const fusion of FUSION_NAMES) {
  test(`compare --fusion ${fusion} --methods naive,gblend-online`, async () => {
    const out = join(work, fusion);
    const r = gblend('compare', '--data', data, '--fusion', fusion, '--methods', 'naive,gblend-online', '--out', out, ...SMALL);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /gblend-online\s+\d+\.\d/);
    const log = (await readFile(join(out, 'runs', 'gblend-online_seed0.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(log[0].config.model.fusion, fusion);
    assert.equal(log.at(-1).event, 'test');
  });
}

test('--help lists the fusions; an unknown fusion and a method a fusion does not take are one-line errors', () => {
  assert.match(gblend('compare', '--help').stdout, /--fusion <list>[^]*late,\s+mid,\s+se,\s+nl,\s+lmf;\s+default:\s+late\)/);
  assertUserError(gblend('compare', '--data', data, '--fusion', 'early', ...SMALL), /fusion/);
  assertUserError(gblend('compare', '--data', data, '--fusion', 'lmf', '--methods', 'naive,ogm-ge', ...SMALL), /method 'ogm-ge' does not combine with fusion 'lmf'/);
});

test('compare --fusion late,lmf crosses every method with each fusion: runs, logs and results keyed method@fusion', async () => {
  const out = join(work, 'crossed');
  const r = gblend('compare', '--data', data, '--fusion', 'late,lmf', '--methods', 'uni:a,naive,ogm-ge,aux@mid', '--out', out, ...SMALL);
  assert.equal(r.code, 0, r.stderr);
  // ogm-ge is defined for late and mid only: crossed with lmf it is left out, and the user is told.
  assert.match(r.stderr, /Not run \(the method is not defined for the fusion[^)]*\): ogm-ge@lmf\./);
  const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  assert.deepEqual(Object.keys(results.methods), ['uni:a', 'naive@late', 'naive@lmf', 'ogm-ge@late', 'aux@mid']);
  for (const [name, fusion] of [['naive-lmf', 'lmf'], ['aux-mid', 'mid'], ['ogm-ge-late', 'late']] as const) {
    const log = (await readFile(join(out, 'runs', `${name}_seed0.jsonl`), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(log[0].config.model.fusion, fusion, name);
  }
  assert.equal(results.methods['naive@late'].time_vs_naive, 1);
  assert.match(r.stdout, /^naive@lmf\s+\d+\.\d/m);
  // Written explicitly, a pair the method does not take is an error, as in train.
  assertUserError(gblend('compare', '--data', data, '--methods', 'naive,ogm-ge@se', ...SMALL), /method 'ogm-ge' does not combine with fusion 'se'/);
  assertUserError(gblend('compare', '--data', data, '--methods', 'naive,naive@late', '--fusion', 'late,mid', ...SMALL), /'naive@late' twice/);
  assertUserError(gblend('compare', '--data', data, '--methods', 'naive@early', ...SMALL), /--methods: must be one of [^]*@ a fusion/);
});
