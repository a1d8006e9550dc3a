/** `gblend table`: the paper's tables across comparisons, from aggregated results and run logs (hand-computed). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCompareConfig } from '../../src/config/load.js';
import { aggregateResults, type SeedResult } from '../../src/report/results.js';
import { bestUni, methodsTable, snapshotTable, weightsTable } from '../../src/report/summary-table.js';
import { signed } from '../../src/report/table.js';
import type { BlendEstimateEvent } from '../../src/train/events.js';

const { methods: _m, seeds: _s, out: _o, ...config } = parseCompareConfig({});
const meta = { dataset: 'toy', modalities: ['a', 'b'], epochs: 2, backend: 'cpu', threads: 1, config };
const run = (method: string, seed: number, acc: number, seconds = 2): SeedResult => ({
  method, seed, weights: { fused: 1 }, seconds, test: { fused: { acc, macro_f1: acc } },
});

test('methodsTable: a row per comparison; best-uni names the strongest uni-modal method; paired Δ and p against naive; × naive on request', () => {
  const one = aggregateResults(meta, [
    run('uni:a', 0, 0.80), run('uni:a', 1, 0.82), run('uni:b', 0, 0.90), run('uni:b', 1, 0.94),
    run('naive', 0, 0.91), run('naive', 1, 0.93), run('aux', 0, 0.93, 4), run('aux', 1, 0.96, 4),
  ]);
  const two = aggregateResults(meta, [run('naive', 0, 0.5), run('naive', 1, 0.7)]);
  assert.equal(bestUni(one)![0], 'uni:b');
  assert.equal(bestUni(two), null);
  const lines = methodsTable([{ label: 'one', results: one }, { label: 'two', results: two }], ['best-uni', 'naive', 'aux'], { time: true }).split('\n');
  assert.equal(lines[0], '| comparison | best single modality | naive | aux |');
  // uni:b: 92.0 ± 2.8; minus naive per seed: -1, +1 -> +0.0, p 1.000. aux − naive: +2, +3 -> +2.5; t = 2.5 / (0.707/√2) = 5, 1 df -> p = 1 − 2 atan(5)/π = 0.126.
  assert.equal(lines[2], '| one | b 92.0 ± 2.8 (+0.0, p 1.000); 1.00× | 92.0 ± 1.4; 1.00× | 94.5 ± 2.1 (+2.5, p 0.126); 2.00× |');
  assert.equal(lines[3], '| two | – | 60.0 ± 14.1; 1.00× | – |');
  const transposed = methodsTable([{ label: 'one', results: one }, { label: 'two', results: two }], ['naive', 'aux'], { transpose: true }).split('\n');
  assert.deepEqual(transposed, ['| method | one | two |', '| --- | --- | --- |', '| naive | 92.0 ± 1.4 | 60.0 ± 14.1 |', '| aux | 94.5 ± 2.1 (+2.5, p 0.126) | – |']);
});

const estimate = (wA: number, ogrA: number | null): BlendEstimateEvent => ({
  event: 'blend_estimate', epoch: 0, epochs: 3, metric: 'loss', floor: 'se', fallback: 'none', note: null, seconds: 1,
  weights: { a: wA, fused: 1 - wA },
  heads: Object.fromEntries([['a', ogrA], ['fused', 0.5]].map(([h, ogr]) => [h, { lt0: 0, lv0: 0, lt1: 0, lv1: 0, dG: 0, dO: 0, ogr, floor: 0, raw: 0, w: 0 }])),
});

test('weightsTable: the first estimate of each seed, weights mean ± std, OGR mean where defined; collapses over every estimate', () => {
  const seeds = [[estimate(0.2, 0.1), estimate(0.95, 0.1)], [estimate(0.4, null), estimate(0.999, 0.1)], [estimate(0.6, 0.3), estimate(0.05, 0.1)]];
  const lines = weightsTable([{ label: 'x', estimates: seeds }, { label: 'none', estimates: [[], []] }]).split('\n');
  // First estimates: a 0.2, 0.4, 0.6 -> 0.40 ± 0.20; fused 0.60 ± 0.20; OGR of a over 0.1 and 0.3 -> 0.200.
  // Every estimate: one head ≥ 0.9 in a 0.95, a 0.999, fused 0.95 -> 3 of 6; fused ≤ 0.01 only at a 0.999 (fused 0.001).
  assert.equal(lines[2], '| x | a 0.40 ± 0.20, fused 0.60 ± 0.20 | a 0.200, fused 0.500 | 3 | 3 / 1 of 6 |');
  assert.equal(lines[3], '| none | – | – | 0 | – |');
});

test('snapshotTable: without recorded copies there is nothing to compare: a dash, not a zero', () => {
  const lines = snapshotTable([{ label: 'old', runs: [{ seed: 0, events: [estimate(0.5, 0.1)] }] }]).split('\n');
  assert.equal(lines[2], '| old | – | – | – |');
});

test('signed: a sign always, and a rounded zero is +0.0, never -0.0', () => {
  assert.deepEqual([signed(-0.0001, 1), signed(-0.04, 1), signed(-0.2, 1), signed(0.25, 2), signed(-0.0004, 3)], ['+0.0', '+0.0', '-0.2', '+0.25', '+0.000']);
});
