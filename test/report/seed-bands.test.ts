/** Mean ± std over seeds per epoch, checked against values worked out by hand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { methodCharts, seedCountNote } from '../../src/report/band-charts.js';
import type { SeedRun } from '../../src/report/band-series.js';
import { errorCurvesChart } from '../../src/report/error-curves.js';
import { bandsOverSeeds } from '../../src/report/seed-bands.js';
import type { BlendEstimateEvent, EpochEvent } from '../../src/train/events.js';

const close = (actual: number | null, expected: number, what: string): void =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${what}: ${actual} != ${expected}`);

test('bandsOverSeeds: mean and sample std (n − 1) per epoch; a run that stopped early counts where it has epochs', () => {
  const bands = bandsOverSeeds([
    new Map([[1, 1], [2, 2], [3, 5]]),
    new Map([[1, 2], [2, 4]]),
    new Map([[1, 3]]),
  ]);
  assert.deepEqual(bands.map((b) => [b.epoch, b.n]), [[1, 3], [2, 2], [3, 1]]);
  // Epoch 1: 1, 2, 3 -> mean 2, squares 1 + 0 + 1 over n − 1 = 2 -> std 1.
  close(bands[0]!.mean, 2, 'mean 1');
  close(bands[0]!.std, 1, 'std 1');
  // Epoch 2: 2, 4 -> mean 3, squares 1 + 1 over 1 -> std √2.
  close(bands[1]!.mean, 3, 'mean 2');
  close(bands[1]!.std, Math.SQRT2, 'std 2');
  // Epoch 3: one seed -> its value, std 0.
  assert.deepEqual(bands[2], { epoch: 3, mean: 5, std: 0, n: 1 });
});

test('bandsOverSeeds: null or non-finite values (a NaN loss, logged as null) are missing, not zero', () => {
  const bands = bandsOverSeeds([new Map([[1, 0.5], [2, null]]), new Map([[1, NaN], [2, null]]), new Map([[2, Infinity], [1, 1.5]])]);
  assert.deepEqual(bands, [{ epoch: 1, mean: 1, std: Math.SQRT1_2, n: 2 }, { epoch: 2, mean: null, std: null, n: 0 }]);
  assert.deepEqual(bandsOverSeeds([]), []);
});

const epoch = (n: number, a: [number, number], fused: [number, number], wA: number): EpochEvent => ({
  event: 'epoch', epoch: n, seconds: 1, weights: { a: wA, fused: 1 - wA },
  heads: {
    a: { train_loss: a[0], val_loss: a[1], train_acc: 0, val_acc: 0 },
    fused: { train_loss: fused[0], val_loss: fused[1], train_acc: 0, val_acc: 0 },
  },
});

test('methodCharts: loss, overfitting per seed then aggregated, stacked weights; n per epoch', () => {
  const runs: SeedRun[] = [
    { seed: 0, events: [epoch(1, [1, 2], [1, 1], 0.2), epoch(2, [0.5, 2.5], [1, 1], 0.4)] },
    { seed: 1, events: [epoch(1, [2, 2], [1, 1], 0.6)] },
  ];
  const { heads, charts, epochs, seedsPerEpoch } = methodCharts(runs);
  assert.deepEqual(heads, ['a', 'fused']);
  assert.deepEqual(epochs, [1, 2]);
  assert.deepEqual(seedsPerEpoch, [2, 1]);
  const [loss, gap, weights] = charts;
  assert.deepEqual(loss!.series.map((s) => s.label), ['a V', "a T'", 'fused V', "fused T'"]);
  assert.deepEqual(loss!.series[0]!.mean, [2, 2.5]);
  assert.deepEqual(loss!.series[0]!.std, [0, 0]);
  assert.deepEqual(loss!.series[1]!.mean, [1.5, 0.5]);
  close(loss!.series[1]!.std[0]!, Math.SQRT1_2, "a T' std at epoch 1");
  assert.deepEqual(loss!.series[1]!.n, [2, 1]);
  // O per seed at epoch 1: 2 − 1 = 1 and 2 − 2 = 0 -> mean 0.5, std √½; epoch 2: 2.5 − 0.5 = 2.
  assert.deepEqual(gap!.series[0]!.mean, [0.5, 2]);
  close(gap!.series[0]!.std[0]!, Math.SQRT1_2, 'O std at epoch 1');
  assert.equal(weights!.stacked, true);
  close(weights!.series[0]!.mean[0]!, 0.4, 'weight of a at epoch 1');
  close(weights!.series[1]!.mean[0]!, 0.6, 'weight of fused at epoch 1');
});

test('methodCharts: one head, no weights chart', () => {
  const only: EpochEvent = { event: 'epoch', epoch: 1, seconds: 1, weights: { a: 1 }, heads: { a: { train_loss: 1, val_loss: 2, train_acc: 0, val_acc: 0 } } };
  assert.equal(methodCharts([{ seed: 3, events: [only] }]).charts.length, 2);
});

const fusedAt = (n: number, valAcc: number): EpochEvent => ({
  event: 'epoch', epoch: n, seconds: 1, weights: { a: 0.5, fused: 0.5 },
  heads: { a: { train_loss: 1, val_loss: 1, train_acc: 0, val_acc: 0 }, fused: { train_loss: 1, val_loss: 1 - valAcc, train_acc: 0, val_acc: valAcc } },
});
const estimateAt = (n: number, epochs: number, naiveAcc: number | null): BlendEstimateEvent => ({
  event: 'blend_estimate', epoch: n, epochs, metric: 'loss', floor: 'se', heads: {}, weights: { a: 0.5, fused: 0.5 }, fallback: 'none', note: null, seconds: 1,
  ...(naiveAcc === null ? {} : { copies: { a: { val_loss: 1, val_acc: 0.1 }, fused: { val_loss: 1 - naiveAcc, val_acc: naiveAcc } } }),
});

test("methodCharts: Figure 5b, the run's fused V accuracy at the end of each estimate against the fused copy's from the same snapshot", () => {
  const runs: SeedRun[] = [
    { seed: 0, events: [estimateAt(0, 2, 0.5), fusedAt(1, 0.1), fusedAt(2, 0.6), estimateAt(2, 2, 0.7), fusedAt(3, 0.1), fusedAt(4, 0.7)] },
    { seed: 1, events: [estimateAt(0, 2, 0.8), fusedAt(1, 0.1), fusedAt(2, 0.7), estimateAt(2, 2, 0.6), fusedAt(3, 0.1), fusedAt(4, 0.9)] },
  ];
  const { charts, snapshot } = methodCharts(runs);
  const figure = charts[charts.length - 1]!;
  assert.deepEqual(figure.epochs, [2, 4]);
  assert.deepEqual(figure.series.map((s) => s.label), ['this run', 'naive from the snapshot']);
  close(figure.series[0]!.mean[0]!, 0.65, 'run at 2');
  close(figure.series[1]!.mean[1]!, 0.65, 'copy at 4');
  // Run − copy, points: +10, 0, −10, +30 -> 2 ahead, 1 tie, mean +7.5.
  assert.equal(snapshot!.comparisons, 4);
  assert.equal(snapshot!.gblendAhead, 2);
  assert.equal(snapshot!.ties, 1);
  close(snapshot!.meanDifference, 7.5, 'mean difference');
  // Losses here are 1 − accuracy: lower in the 2 comparisons the run was ahead, by −0.075 on average.
  assert.equal(snapshot!.lossLower, 2);
  assert.ok(Math.abs(snapshot!.meanLossDifference + 0.075) < 1e-9, `${snapshot!.meanLossDifference}`);
  // Logs from before copies were recorded, and methods without estimates: no chart, no summary.
  const old = methodCharts([{ seed: 0, events: [estimateAt(0, 2, null), fusedAt(1, 0.1), fusedAt(2, 0.6)] }]);
  assert.equal(old.snapshot, null);
  assert.equal(old.charts.length, 3);
});

test("errorCurvesChart (Figure 4): each method's predicting head, 1 − top-1 on V and T'; a uni-modal method's own head", () => {
  const uni: EpochEvent = { event: 'epoch', epoch: 1, seconds: 1, weights: { a: 1 }, heads: { a: { train_loss: 1, val_loss: 1, train_acc: 0.75, val_acc: 0.5 } } };
  const chart = errorCurvesChart(new Map([
    ['uni:a', [{ seed: 0, events: [uni] }]],
    ['naive', [{ seed: 0, events: [fusedAt(1, 0.9), fusedAt(2, 0.8)] }, { seed: 1, events: [fusedAt(1, 0.7)] }]],
  ]));
  assert.deepEqual(chart.epochs, [1, 2]);
  assert.deepEqual(chart.series.map((s) => s.label), ['uni:a V', "uni:a T'", 'naive V', "naive T'"]);
  assert.deepEqual(chart.series[0]!.mean, [0.5, null]);
  assert.deepEqual(chart.series[1]!.mean, [0.25, null]);
  close(chart.series[2]!.mean[0]!, 0.2, 'naive V error at 1: 1 − (0.9 + 0.7) / 2');
  close(chart.series[2]!.mean[1]!, 0.2, 'naive V error at 2: one seed');
  assert.deepEqual(chart.series[2]!.n, [2, 1]);
});

test('seedCountNote: says which epochs average fewer seeds, and nothing when all have all', () => {
  assert.equal(seedCountNote([1, 2, 3, 4, 5], [3, 3, 2, 1, 1]), 'epochs 1–2: 3 seeds; 3: 2; 4–5: 1');
  assert.equal(seedCountNote([1, 2], [2, 2]), null);
});
