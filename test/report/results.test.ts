/** Aggregated results and the printed table: per-method means over seeds and wall time relative to naive. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCompareConfig } from '../../src/config/load.js';
import { aggregateResults, type SeedResult } from '../../src/report/results.js';
import { formatResultsTable } from '../../src/report/table.js';

const { methods: _m, seeds: _s, out: _o, ...config } = parseCompareConfig({});
const meta = { dataset: 'toy', modalities: ['a', 'b'], epochs: 2, backend: 'cpu', threads: 1, config };
const run = (method: string, seed: number, acc: number, seconds: number): SeedResult => ({
  method, seed, weights: { fused: 1 }, seconds, test: { fused: { acc, macro_f1: acc } },
});

test('time_vs_naive: each method mean seconds over naive mean seconds, in results and in the table', () => {
  const results = aggregateResults(meta, [run('naive', 0, 0.9, 2), run('naive', 1, 0.8, 4), run('mmpareto', 0, 0.95, 9), run('mmpareto', 1, 0.85, 9)]);
  assert.equal(results.methods.naive!.time_vs_naive, 1);
  assert.equal(results.methods.mmpareto!.time_vs_naive, 3);
  assert.ok(Math.abs(results.methods.mmpareto!.test_acc.mean - 0.9) < 1e-12);
  const table = formatResultsTable(results);
  assert.match(table, /× naive/);
  assert.match(table.split('\n').find((l) => l.startsWith('mmpareto'))!, /9\.0\s+3\.00$/);
});

test('without a naive run there is nothing to compare with: null, and - in the table', () => {
  const results = aggregateResults(meta, [run('aux', 0, 0.9, 5)]);
  assert.equal(results.methods.aux!.time_vs_naive, null);
  assert.match(formatResultsTable(results).split('\n').find((l) => l.startsWith('aux'))!, /5\.0\s+-$/);
});

test('vs_naive: top-1 against naive on the same seeds, paired; with fusions crossed against naive@late', () => {
  // aux - naive per seed: +0.02, +0.04, +0.03 (seed 3 has no naive run and is left out).
  const results = aggregateResults(meta, [
    run('naive@late', 0, 0.90, 2), run('naive@late', 1, 0.80, 2), run('naive@late', 2, 0.85, 2),
    run('aux@mid', 0, 0.92, 2), run('aux@mid', 1, 0.84, 2), run('aux@mid', 2, 0.88, 2), run('aux@mid', 3, 0.5, 2),
  ]);
  const v = results.methods['aux@mid']!.vs_naive!;
  assert.equal(v.n, 3);
  assert.ok(Math.abs(v.meanDiff - 0.03) < 1e-12 && Math.abs(v.stdDiff - 0.01) < 1e-9, JSON.stringify(v));
  assert.deepEqual([v.wins, v.losses], [3, 0]);
  assert.equal(results.methods['naive@late']!.vs_naive, null);
  // t = 0.03 / (0.01 / sqrt 3) = 5.196 on 2 degrees of freedom: p = 1 - t / sqrt(t^2 + 2) = 0.0351.
  assert.match(formatResultsTable(results).split('\n').find((l) => l.startsWith('aux@mid'))!, /\+3\.0 \(p 0\.035\)/);
});

test('vs_naive: a difference that rounds to zero reads +0.0', () => {
  const results = aggregateResults(meta, [run('naive', 0, 0.9, 1), run('naive', 1, 0.8, 1), run('aux', 0, 0.9 - 1e-9, 1), run('aux', 1, 0.8, 1)]);
  assert.match(formatResultsTable(results).split('\n').find((l) => l.startsWith('aux'))!, / \+0\.0 \(p /);
});
