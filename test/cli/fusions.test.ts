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
  assert.match(gblend('compare', '--help').stdout, /--fusion <name>[^]*late, mid, se, nl, lmf[^]*\(default: late\)/);
  assertUserError(gblend('compare', '--data', data, '--fusion', 'early', ...SMALL), /fusion/);
  assertUserError(gblend('compare', '--data', data, '--fusion', 'lmf', '--methods', 'naive,ogm-ge', ...SMALL), /method 'ogm-ge' does not combine with fusion 'lmf'/);
});
