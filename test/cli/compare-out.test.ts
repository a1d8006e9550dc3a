/**
 * Issue 8, never lose a user's files: `compare --out DIR` writes only into a new or empty folder, or
 * into its own unfinished comparison (to resume it). Anything else is refused before training, every
 * file kept: a user's files (even one named like a run log), and a finished comparison, which a new
 * one would otherwise mix its run logs with.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
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

test('compare --out a finished comparison: refused, with or without --resume; its files kept, no stale logs mixed in', async () => {
  const dir = join(work, 'finished');
  assert.equal(gblend(...COMPARE(dir, 'naive,aux')).code, 0);
  // gblend diagnose's file beside the results belongs there: the folder is still gblend's.
  await writeFile(join(dir, 'diagnosis.json'), '{}');
  const before = await readFile(join(dir, 'results.json'), 'utf8');
  const finished = /finished: holds a finished comparison \(results\.json\); gblend does not write over one: give a new --out, or delete the folder/;
  assertUserError(gblend(...COMPARE(dir)), finished);
  assertUserError(gblend(...COMPARE(dir), '--resume'), finished);
  assert.equal(await readFile(join(dir, 'results.json'), 'utf8'), before);
  assert.deepEqual((await readdir(join(dir, 'runs'))).sort(), ['aux_seed0.jsonl', 'naive_seed0.jsonl']);
  // A file of the user's added to a finished comparison makes it no longer gblend's alone.
  await writeFile(join(dir, 'runs', 'extra.jsonl'), 'mine\n');
  assertUserError(gblend(...COMPARE(dir)), /finished: holds "runs\/extra\.jsonl", which gblend compare did not write/);
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
