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

const estimate = (w: number): object => ({ lt0: 2.3, lv0: 2.3, lt1: 0.5, lv1: 0.6, dG: 1.7, dO: 0.1, ogr: 0.059, floor: 0.01, raw: 1, w });

test('diagnosis.json beside the results: the report shows its estimates and reading before the curves; a malformed one is an error naming the field', async () => {
  const dir = await oldFolder();
  await writeFile(join(dir, 'diagnosis.json'), JSON.stringify({
    dataset: 'old', modalities: ['a', 'b'], seed: 0, sizes: { train: 90, val: 10, probe: 10 }, options: { warmupEpochs: 10, estimateEpochs: 5 }, metric: 'loss',
    estimates: [0, 10].map((epoch) => ({ epoch, result: { heads: { a: estimate(0.2), b: estimate(0.3), fused: estimate(0.5) }, weights: { a: 0.2, b: 0.3, fused: 0.5 }, fallback: 'none', note: null } })),
    reading: { overfitsFirst: 'b', fusionAtRisk: false, sentences: ['After 10 epochs of joint training, the modality that overfits most <for> what it generalizes is b.'] },
  }));
  const html = await readFile(await writeHtmlReport(dir), 'utf8');
  const section = html.slice(html.indexOf('<h2>Before training: gblend diagnose</h2>'), html.indexOf('<h2>Training curves</h2>'));
  assert.match(section, /<h4>From the initial model, each head's copy trained alone for 5 epochs<\/h4>/);
  assert.match(section, /<h4>After 10 epochs training every head together/);
  assert.equal(section.match(/<tr><th>fused<\/th>/g)?.length, 2);
  assert.match(section, /<li>After 10 epochs of joint training, the modality that overfits most &lt;for&gt; what it generalizes is b\.<\/li>/);
  await writeFile(join(dir, 'diagnosis.json'), JSON.stringify({ estimates: [], reading: { sentences: [1] } }));
  await assert.rejects(writeHtmlReport(dir), (e: unknown) => e instanceof ReportError && /diagnosis\.json: field 'reading\.sentences' is missing or malformed/.test(e.message));
});
