/**
 * report.html from an older comparison folder (results.json without config or vs_naive, a single
 * seed's log), and from one missing a seed's log: it is written, self-contained, and says what it drew.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ReportError, writeHtmlReport } from '../../src/api/report.js';
import { uplotLibrary } from '../../src/report/uplot-assets.js';
import type { RunEvent } from '../../src/train/events.js';

const one = (x: number): { mean: number; std: number; values: number[] } => ({ mean: x, std: 0, values: [x] });
const methodResults = (seeds: number[]): object => ({
  seeds, test_acc: one(0.8), test_macro_f1: one(0.8), heads: { fused: one(0.8) }, weights: [{}], seconds: one(3),
});

function log(method: string, seed: number): string {
  const events: RunEvent[] = [
    { event: 'start', method, seed, dataset: 'old', modalities: ['a', 'b'], heads: ['fused'], backend: 'cpu', threads: 1, sizes: { train: 1, val: 1, probe: 1, test: 1 }, config: {} },
    { event: 'epoch', epoch: 1, seconds: 1, weights: { fused: 1 }, heads: { fused: { train_loss: 0.9, val_loss: 1.1, train_acc: 0.5, val_acc: 0.5 } } },
    { event: 'test', heads: { fused: { acc: 0.8, macro_f1: 0.8 } } },
  ];
  return events.map((e) => JSON.stringify(e)).join('\n');
}

async function oldFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gblend-old-report-'));
  await mkdir(join(dir, 'runs'));
  await writeFile(join(dir, 'results.json'), JSON.stringify({
    dataset: 'old', modalities: ['a', 'b'], epochs: 1, backend: 'cpu', threads: 1,
    methods: { naive: methodResults([0]), aux: methodResults([0, 1]) },
  }));
  await writeFile(join(dir, 'runs', 'naive_seed0.jsonl'), log('naive', 0));
  await writeFile(join(dir, 'runs', 'aux_seed0.jsonl'), log('aux', 0));
  return dir;
}

test('an older results folder: the report is written, one file with uPlot inlined and nothing fetched', async () => {
  const dir = await oldFolder();
  const html = await readFile(await writeHtmlReport(dir), 'utf8');
  assert.match(html, /<th>Δ naive \(p\)<\/th>/);
  assert.match(html, /<h3>naive <small>\(seed 0\)<\/small><\/h3>/);
  assert.ok(html.includes(uplotLibrary().js) && html.includes(uplotLibrary().css), 'uPlot is inlined');
  assert.doesNotMatch(html, /<script [^>]*src=|<link [^>]*href="(?!data:)|url\(|@import/, 'nothing is loaded from beside the page');
  // aux lists seed 1, whose log is gone: drawn from seed 0, and said so.
  assert.match(html, /<h3>aux <small>\(seed 0\)<\/small><\/h3><p class="seed-note"><small>No run log for seed 1: not drawn\.<\/small><\/p>/);
});

test('a method with none of its logs: an error naming the first', async () => {
  const dir = await oldFolder();
  await rm(join(dir, 'runs', 'aux_seed0.jsonl'));
  await assert.rejects(writeHtmlReport(dir), (e: unknown) => e instanceof ReportError && /aux_seed0\.jsonl: not found/.test(e.message));
});
