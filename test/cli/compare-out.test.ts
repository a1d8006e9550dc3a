/**
 * Issue 8, never lose a user's files: `compare --out DIR` writes only into a new or empty folder, or
 * into its own unfinished comparison (to resume it). Anything else is refused before training, every
 * file kept: a user's files (even one named like a run log), and a finished comparison, which a new
 * one would otherwise mix its run logs with.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { assertUserError, gblend } from '../helpers/cli.js';
import { tinyDataset, writeDatasetDir } from '../helpers/tiny-dataset.js';

const tiny = tinyDataset([{ name: 'a', shape: [6], separation: 1.5 }, { name: 'b', shape: [4], separation: 0.4 }], 15, 3);
let data = '';
let work = '';
const COMPARE = (out: string, methods = 'naive'): string[] => ['compare', '--data', data, '--methods', methods, '--epochs', '1', '--batch-size', '16', '--out', out, '--quiet'];

before(async () => {
  data = await writeDatasetDir(tiny);
  work = await mkdtemp(join(tmpdir(), 'gblend-compare-out-'));
});

test("compare --out a folder of the user's files, one named like a run log: refused before training, every file kept", async () => {
  const dir = join(work, 'mine');
  await mkdir(join(dir, 'runs'), { recursive: true });
  await writeFile(join(dir, 'runs', 'naive_seed0.jsonl'), 'my own log\n');
  await writeFile(join(dir, 'notes.txt'), 'precious');
  assertUserError(gblend(...COMPARE(dir)), /mine: holds "notes\.txt", "runs", which gblend compare did not write; .*give a new --out$/);
  // Only a log, no comparison of gblend's to name it: still the user's.
  const onlyLog = join(work, 'only-log');
  await mkdir(join(onlyLog, 'runs'), { recursive: true });
  await writeFile(join(onlyLog, 'runs', 'naive_seed0.jsonl'), 'my own log\n');
  assertUserError(gblend(...COMPARE(onlyLog)), /only-log: holds "runs", which gblend compare did not write/);
  assert.equal(await readFile(join(dir, 'runs', 'naive_seed0.jsonl'), 'utf8'), 'my own log\n');
  assert.equal(await readFile(join(onlyLog, 'runs', 'naive_seed0.jsonl'), 'utf8'), 'my own log\n');
  assert.deepEqual((await readdir(dir)).sort(), ['notes.txt', 'runs']);
});

test('compare --out a finished comparison: refused without --overwrite, nothing to --resume; its files kept, no stale logs mixed in', async () => {
  const dir = join(work, 'finished');
  assert.equal(gblend(...COMPARE(dir, 'naive,aux')).code, 0);
  // gblend diagnose's file beside the results belongs there: the folder is still gblend's.
  await writeFile(join(dir, 'diagnosis.json'), '{}');
  const before = await readFile(join(dir, 'results.json'), 'utf8');
  assertUserError(gblend(...COMPARE(dir)), /finished: holds a finished comparison \(results\.json\): add --overwrite to replace it \(only the files compare wrote\), or give a new --out$/);
  assertUserError(gblend(...COMPARE(dir), '--resume'), /finished: is a finished comparison \(results\.json\): nothing to resume .*--overwrite instead of --resume runs it again$/);
  assertUserError(gblend(...COMPARE(dir), '--resume', '--overwrite'), /--resume and --overwrite exclude each other/);
  assert.equal(await readFile(join(dir, 'results.json'), 'utf8'), before);
  assert.deepEqual((await readdir(join(dir, 'runs'))).sort(), ['aux_seed0.jsonl', 'naive_seed0.jsonl']);
  // A file of the user's added to a finished comparison makes it no longer gblend's alone, --overwrite or not.
  await writeFile(join(dir, 'runs', 'extra.jsonl'), 'mine\n');
  assertUserError(gblend(...COMPARE(dir)), /finished: holds "runs\/extra\.jsonl", which gblend compare did not write/);
  assertUserError(gblend(...COMPARE(dir), '--overwrite'), /finished: holds "runs\/extra\.jsonl", which gblend compare did not write/);
  assert.equal(await readFile(join(dir, 'runs', 'extra.jsonl'), 'utf8'), 'mine\n');
});

test('compare --overwrite replaces a comparison of gblend\'s, finished or interrupted, and keeps a diagnosis beside it', async () => {
  const dir = join(work, 'overwritten');
  assert.equal(gblend(...COMPARE(dir, 'naive,aux')).code, 0);
  assert.equal(gblend('diagnose', '--data', data, '--batch-size', '16', '--out', join(dir, 'diagnosis.json')).code, 0);
  const diagnosis = await readFile(join(dir, 'diagnosis.json'), 'utf8');
  const r = gblend(...COMPARE(dir, 'naive'), '--overwrite');
  assert.equal(r.code, 0, r.stderr);
  // The new comparison alone: no log of the old one's aux run left beside the new results.
  assert.deepEqual((await readdir(join(dir, 'runs'))).sort(), ['naive_seed0.jsonl']);
  assert.deepEqual(Object.keys((JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as { methods: object }).methods), ['naive']);
  assert.equal(await readFile(join(dir, 'diagnosis.json'), 'utf8'), diagnosis);
  // An interrupted one (its plan in checkpoints/) is refused without --resume or --overwrite, replaced with --overwrite.
  await mkdir(join(dir, 'checkpoints'));
  await writeFile(join(dir, 'checkpoints', 'comparison.json'), JSON.stringify({ version: 1, key: 'x', meta: {}, runs: [{ method: 'naive', seed: 0 }] }));
  await rm(join(dir, 'results.json'));
  assertUserError(gblend(...COMPARE(dir)), /holds an interrupted comparison: add --resume to continue it, or --overwrite \(or a new --out\) to start over/);
  const again = gblend(...COMPARE(dir), '--overwrite');
  assert.equal(again.code, 0, again.stderr);
  assert.ok(!existsSync(join(dir, 'checkpoints')));
});

test('compare --out a folder holding only a diagnosis: the comparison is written beside it', async () => {
  const dir = join(work, 'diagnosed');
  const d = gblend('diagnose', '--data', data, '--batch-size', '16', '--out', join(dir, 'diagnosis.json'));
  assert.equal(d.code, 0, d.stderr);
  const diagnosis = await readFile(join(dir, 'diagnosis.json'), 'utf8');
  const r = gblend(...COMPARE(dir));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await readFile(join(dir, 'diagnosis.json'), 'utf8'), diagnosis);
  assert.ok(existsSync(join(dir, 'results.json')));
});
