/**
 * `gblend train --resume`: interrupted by Ctrl-C, the run keeps its checkpoint beside the model's
 * folder (never inside it) and its partial log; resumed, it saves the model the uninterrupted run
 * saves, byte for byte, and removes the checkpoint.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tinyDataset, writeDatasetDir } from '../helpers/tiny-dataset.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'cli', 'main.js');

test('train: Ctrl-C keeps DIR.checkpoint; --resume saves the uninterrupted model and removes it', async () => {
  const data = await writeDatasetDir(tinyDataset([{ name: 'a', shape: [6], separation: 1.5 }, { name: 'b', shape: [4], separation: 0.6 }], 40, 3));
  const work = await mkdtemp(join(tmpdir(), 'gblend-train-resume-'));
  const args = (out: string, log: string): string[] => [CLI, 'train', '--data', data, '--method', 'gblend-online', '--epochs', '12', '--warmup-epochs', '3', '--super-epoch-epochs', '3', '--batch-size', '4', '--out', out, '--log', log];
  const whole = spawnSync(process.execPath, [...args(join(work, 'whole'), join(work, 'whole.jsonl')), '--quiet'], { encoding: 'utf8' });
  assert.equal(whole.status, 0, whole.stderr);

  const out = join(work, 'model');
  const log = join(work, 'run.jsonl');
  const p = spawn(process.execPath, [...args(out, log), '--verbose'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  p.stderr!.on('data', (c: Buffer) => {
    const before = stderr;
    stderr += c.toString();
    if (!/epoch 4:/.test(before) && /epoch 4:/.test(stderr)) p.kill('SIGINT');
  });
  const code = await new Promise<number | null>((done) => p.once('exit', (c) => done(c)));
  assert.equal(code, 130, stderr);
  assert.match(stderr, new RegExp(`Interrupted; the last finished epoch is kept in ${out}\\.checkpoint\\.\\nResume with: gblend train .* --resume\\n`));
  assert.ok(existsSync(`${out}.checkpoint`) && existsSync(`${log}.partial`) && !existsSync(out));

  const resumed = spawnSync(process.execPath, [...args(out, log), '--resume', '--quiet'], { encoding: 'utf8' });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.ok(!existsSync(`${out}.checkpoint`) && !existsSync(`${log}.partial`));
  assert.deepEqual(readFileSync(join(out, 'weights.bin')), readFileSync(join(work, 'whole', 'weights.bin')));
  const timeless = (f: string): string => readFileSync(f, 'utf8').replace(/"seconds":[-\d.e+]+/g, '"seconds":0');
  assert.equal(timeless(log), timeless(join(work, 'whole.jsonl')));
});
