/** `gblend diagnose` as a user runs it: the two estimates, the reading, the JSON, and its errors. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertUserError, gblend } from '../helpers/cli.js';
import { tinyDataset, writeDatasetDir } from '../helpers/tiny-dataset.js';

test('diagnose prints both estimates per head and the reading, and writes the same as JSON', async () => {
  const data = await writeDatasetDir(tinyDataset([{ name: 'a', shape: [6], separation: 1.5 }, { name: 'b', shape: [5], separation: 0.4 }], 20, 3));
  const out = join(await mkdtemp(join(tmpdir(), 'gblend-diagnose-')), 'diagnosis.json');
  const r = gblend('diagnose', '--data', data, '--warmup-epochs', '2', '--super-epoch-epochs', '1', '--batch-size', '16', '--out', out);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /From the initial model, each head's copy trained alone for 1 epochs/);
  assert.match(r.stdout, /After 2 epochs training every head together/);
  for (const h of ['a', 'b', 'fused']) assert.equal(r.stdout.match(new RegExp(`^${h}\\s+\\d`, 'gm'))?.length, 2, `two rows for ${h}`);
  assert.match(r.stdout, /the modality that overfits most for what it generalizes is/);
  assert.match(r.stdout, /Gradient-Blending would weight a \/ b \/ fused as/);
  const json = JSON.parse(await readFile(out, 'utf8'));
  assert.deepEqual(json.estimates.map((e: { epoch: number }) => e.epoch), [0, 2]);
  assert.ok(['a', 'b'].includes(json.reading.overfitsFirst));
  assert.deepEqual(Object.keys(json.estimates[1].result.heads), ['a', 'b', 'fused']);
});

test('diagnose errors: one modality, a bad warm-up, a method flag it does not take', async () => {
  const one = await writeDatasetDir(tinyDataset([{ name: 'a', shape: [4], separation: 1 }], 10, 2));
  assertUserError(gblend('diagnose', '--data', one), /diagnose compares modalities: .* has only 1/);
  assertUserError(gblend('diagnose', '--warmup-epochs', '0'), /--warmup-epochs/);
  const r = gblend('diagnose', '--method', 'naive');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option '--method'/);
});
