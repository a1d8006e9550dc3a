/** The command line as a user runs it: real processes, real files. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { serializeNpy } from '../../src/data/npy.js';
import { gblend } from '../helpers/cli.js';
import { tinyDataset, writeDatasetDir } from '../helpers/tiny-dataset.js';


const SMALL = ['--epochs', '2', '--batch-size', '16', '--warmup-epochs', '1', '--super-epoch-epochs', '1'];
const tiny = tinyDataset([
  { name: 'a', shape: [6], separation: 1.5 },
  { name: 'b', shape: [5, 5], separation: 0.4 },
], 15, 3);
let data = '';
/** The same examples as `data`, without labels.npy and the "labels" key: new data to predict on. */
let unlabelled = '';
let work = '';

before(async () => {
  data = await writeDatasetDir(tiny);
  unlabelled = await writeDatasetDir(tiny, { withLabels: false });
  work = await mkdtemp(join(tmpdir(), 'gblend-cli-'));
});

test('--help teaches: commands, methods, and every option with its default', () => {
  const top = gblend('--help');
  assert.equal(top.code, 0);
  for (const word of ['compare', 'train', 'predict', 'gblend-online', 'avdigits']) assert.match(top.stdout, new RegExp(word));
  const cmp = gblend('compare', '--help');
  assert.match(cmp.stdout, /--epochs <n>\s+training epochs \(default: 20\)/);
  assert.match(cmp.stdout, /--blend-floor <kind>[^-]*\(default: se\)/);
  assert.match(cmp.stdout, /--seeds <n>/);
  assert.match(gblend('train', '--help').stdout, /--config <file>/);
  assert.match(gblend('predict', '--help').stdout, /--modalities <list>/);
});

test('compare writes results.json and one JSONL log per (method, seed), and prints the table', async () => {
  const out = join(work, 'cmp');
  const r = gblend('compare', '--data', data, '--methods', 'uni:a,naive,gblend-online', '--seeds', '2', '--out', out, ...SMALL);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /method\s+test top-1 %/);
  assert.match(r.stdout, /gblend-online\s+\d+\.\d ± \d+\.\d/);
  const results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  assert.equal(results.dataset, 'tiny');
  assert.deepEqual(results.modalities, ['a', 'b']);
  assert.deepEqual(Object.keys(results.methods), ['uni:a', 'naive', 'gblend-online']);
  const online = results.methods['gblend-online'];
  assert.deepEqual(online.seeds, [0, 1]);
  assert.equal(online.test_acc.values.length, 2);
  assert.ok(Math.abs(online.test_acc.mean - (online.test_acc.values[0] + online.test_acc.values[1]) / 2) < 1e-12);
  assert.equal(online.weights.length, 2);
  const logs = (await readdir(join(out, 'runs'))).sort();
  assert.deepEqual(logs, ['gblend-online_seed0.jsonl', 'gblend-online_seed1.jsonl', 'naive_seed0.jsonl', 'naive_seed1.jsonl', 'uni-a_seed0.jsonl', 'uni-a_seed1.jsonl']);
  const events = (await readFile(join(out, 'runs', 'gblend-online_seed1.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(events.map((e) => e.event), ['start', 'blend_estimate', 'epoch', 'blend_estimate', 'epoch', 'test']);
  assert.deepEqual(Object.keys(events[1].heads.fused).sort(), ['dG', 'dO', 'floor', 'lt0', 'lt1', 'lv0', 'lv1', 'ogr', 'raw', 'w']);
  assert.deepEqual(Object.keys(events[2].heads.a).sort(), ['train_acc', 'train_loss', 'val_acc', 'val_loss']);
  assert.equal(events[5].heads.fused.acc, online.test_acc.values[1]);
  const html = await readFile(join(out, 'report.html'), 'utf8');
  assert.match(html, /<h3>gblend-online <small>\(mean ± std over 2 seeds: 0, 1\)<\/small><\/h3>/);
  assert.match(html, /OGR estimates/);
  assert.equal((html.match(/<details( open)?><summary>seed \d<\/summary>/g) ?? []).length, 2, "gblend-online's estimates: one table per seed");
  assert.equal((html.match(/<div class="chart" data-chart=/g) ?? []).length, 1 + 2 + 2 + 4, 'every method (Figure 4); uni:a and naive: 2 charts each; gblend-online: 4 (Figure 5b the last)');
  assert.match(html, /From the same snapshot \(the paper's Figure 5b\): at the end of 4 estimates over all seeds/);
  const charts = JSON.parse(/<script type="application\/json" id="report-charts">(.*?)<\/script>/s.exec(html)![1]!);
  // Charts in page order: uni:a's two, naive's two, then gblend-online's loss chart, every epoch over both seeds.
  assert.deepEqual(charts['chart-4'].series[0].n, [2, 2]);
  // The report can be rebuilt from the files alone.
  const again = gblend('report', out);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await readFile(join(out, 'report.html'), 'utf8'), html);
  const missing = gblend('report', join(work, 'nothing-here'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /results\.json: not found/);

  // gblend table: the same numbers as results.json, a row per folder; the weights and Figure 5b from the logs.
  const table = gblend('table', out, out);
  assert.equal(table.code, 0, table.stderr);
  const pct = (x: number): string => (100 * x).toFixed(1);
  const row = table.stdout.split('\n')[2]!;
  assert.ok(row.startsWith(`| ${out} | a ${pct(results.methods['uni:a'].test_acc.mean)} ± `), row);
  assert.ok(row.includes(`| ${pct(online.test_acc.mean)} ± ${pct(online.test_acc.std)}`), row);
  assert.equal(table.stdout.trim().split('\n').length, 4);
  const weights = gblend('table', out, '--weights', 'gblend-online');
  assert.match(weights.stdout, /\| a \d\.\d\d ± \d\.\d\d, b \d\.\d\d ± \d\.\d\d, fused \d\.\d\d ± \d\.\d\d \| .* \| 2 \| \d \/ \d of 4 \|/);
  // 2 seeds x 2 estimates (before epochs 1 and 2).
  assert.match(gblend('table', out, '--snapshot', 'gblend-online').stdout, /\| \d of 4( \(\d tied\))? \| [+-]\d+\.\d \| \d of 4 \([+-]\d\.\d{3}\) \|/);
  const unknown = gblend('table', out, '--weights', 'aux');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no method 'aux' in this comparison \(it has uni:a, naive, gblend-online\)/);
});

test('train from a YAML config saves a TF.js model; predict uses fused, or uni heads when a modality is missing', async () => {
  const cfg = join(work, 'cfg.yaml');
  await writeFile(cfg, `data: ${data}\nmethod: aux\nepochs: 3\nbatchSize: 16\noptimizer:\n  kind: adam\n  lr: 0.003\n`);
  const model = join(work, 'model');
  const t = gblend('train', '--config', cfg, '--out', model, '--quiet');
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stdout, /Saved aux model/);
  for (const f of ['model.json', 'weights.bin', 'gblend.json']) assert.ok(existsSync(join(model, f)), f);
  const topology = JSON.parse(await readFile(join(model, 'model.json'), 'utf8'));
  assert.equal(topology.format, 'layers-model');
  const all = gblend('predict', '--model', model, '--data', data, '--out', join(work, 'pred.csv'));
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /modalities used: a, b; heads: fused/);
  const csv = (await readFile(join(work, 'pred.csv'), 'utf8')).trim().split('\n');
  assert.equal(csv.length, 46);
  assert.equal(csv[0], 'row,predicted,p_c0,p_c1,p_c2');
  const onlyA = gblend('predict', '--model', model, '--data', data, '--modalities', 'a');
  assert.equal(onlyA.code, 0, onlyA.stderr);
  assert.match(onlyA.stdout, /modalities used: a; heads: a\n/);
});

test('predict on unlabelled data: exit 0, the same predictions file, no accuracy line', async () => {
  assert.match(gblend('predict', '--help').stdout, /labels optional/);
  const model = join(work, 'model-for-unlabelled');
  const t = gblend('train', '--data', data, '--method', 'naive', '--epochs', '1', '--batch-size', '16', '--out', model, '--quiet');
  assert.equal(t.code, 0, t.stderr);
  const withLabels = gblend('predict', '--model', model, '--data', data, '--out', join(work, 'pred-labelled.csv'));
  assert.equal(withLabels.code, 0, withLabels.stderr);
  assert.match(withLabels.stdout, /^top-1 \d+\.\d\d%, macro-F1 \d+\.\d\d%$/m);
  const out = join(work, 'pred-unlabelled.csv');
  const r = gblend('predict', '--model', model, '--data', unlabelled, '--out', out);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `45 examples, modalities used: a, b; heads: fused\nWrote ${out}\n`);
  assert.equal(await readFile(out, 'utf8'), await readFile(join(work, 'pred-labelled.csv'), 'utf8'));
});

test('predict on unlabelled data whose modalities differ in rows: one line naming both files, exit 2, nothing written', async () => {
  const model = join(work, 'model-for-mismatch');
  const t = gblend('train', '--data', data, '--method', 'naive', '--epochs', '1', '--batch-size', '16', '--out', model, '--quiet');
  assert.equal(t.code, 0, t.stderr);
  const short = await writeDatasetDir(tiny, { withLabels: false });
  await writeFile(join(short, 'b.npy'), serializeNpy({ dtype: 'float32', shape: [44, 5, 5], data: new Float32Array(44 * 25) }));
  const out = join(work, 'pred-mismatch.csv');
  const r = gblend('predict', '--model', model, '--data', short, '--out', out);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^gblend: error: b\.npy: modality 'b' has 44 rows but modality 'a' \(a\.npy\) has 45\n$/);
  assert.ok(!existsSync(out));
});

test('bad inputs: one line on stderr, exit code 2, nothing written', async () => {
  const cases: [string[], RegExp][] = [
    [['compare', '--data', join(work, 'nope'), '--out', join(work, 'o1')], /^gblend: error: .*nope/],
    [['compare', '--data', data, '--epochs', '0', '--out', join(work, 'o2')], /^gblend: error: --epochs: must be greater than 0, got 0$/m],
    [['compare', '--data', data, '--methods', 'magic', '--out', join(work, 'o3')], /--methods: must be one of/],
    [['compare', '--data', data, '--methods', 'uni:zz', '--out', join(work, 'o4'), ...SMALL], /no modality 'zz'/],
    [['compare', '--data', data, '--modalities', 'a,q', '--out', join(work, 'o5')], /'q'/],
    [['compare', '--data', data, '--blend-floor', 'median', '--out', join(work, 'o6')], /--blend-floor: must be one of se, abs, got 'median'/],
  ];
  for (const [args, message] of cases) {
    const r = gblend(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(!existsSync(args[args.indexOf('--out') + 1]!), `${args.join(' ')} wrote its output folder`);
  }
  const cfg = join(work, 'bad.yaml');
  await writeFile(cfg, 'epochz: 3\n');
  const t = gblend('train', '--config', cfg, '--out', join(work, 'm-bad'));
  assert.equal(t.code, 2);
  assert.match(t.stderr, /bad\.yaml: unknown key 'epochz'/);
  assert.ok(!existsSync(join(work, 'm-bad')));
});

test('NaN in a modality: the file, row and column are named; nothing written', async () => {
  const nanDir = await writeDatasetDir(tinyDataset([{ name: 'a', shape: [3], separation: 1 }, { name: 'b', shape: [2], separation: 1 }], 5, 2));
  const values = new Float32Array(10 * 3).fill(0.5);
  values[3 * 4 + 1] = NaN;
  await writeFile(join(nanDir, 'a.npy'), serializeNpy({ dtype: 'float32', shape: [10, 3], data: values }));
  const out = join(work, 'nan-out');
  const r = gblend('compare', '--data', nanDir, '--out', out);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /a\.npy: .*row 4.*column 1/);
  assert.ok(!existsSync(out));
});
