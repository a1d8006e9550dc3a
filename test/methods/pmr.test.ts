/**
 * PMR's prototype loss on a small model, recomputed by hand: prototypes are class means of the
 * encoders' features over the training rows; the modality behind gets alpha * CE(-distances, y).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { parseTrainConfig } from '../../src/config/load.js';
import { pmrCoefficients } from '../../src/core/pmr.js';
import { initEngine } from '../../src/engine/index.js';
import { createMethod } from '../../src/methods/registry.js';
import { MultiHeadModel } from '../../src/models/multihead-model.js';
import { encodeRows } from '../../src/train/evaluate.js';
import type { StepInfo } from '../../src/train/loop.js';
import { computeSplits, disposePrepared, gatherBatch, prepareData } from '../../src/train/prepared-data.js';
import { hookContext } from '../helpers/hook-context.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

before(async () => {
  await initEngine({ backend: 'cpu' });
});

const dataset = tinyDataset([{ name: 'a', shape: [4], separation: 1.5 }, { name: 'b', shape: [3], separation: 0.2 }], 8);

test('the added loss is alpha * prototype cross-entropy of the modality behind, by hand', () => {
  const data = prepareData(dataset, computeSplits(dataset, 0.2, 0.2, 0));
  const cfg = parseTrainConfig({ model: { mlpHidden: [5], fusedHidden: 4 } }).model;
  const model = new MultiHeadModel({
    encoders: [{ modality: 'a', inputShape: [4], kind: 'mlp' }, { modality: 'b', inputShape: [3], kind: 'mlp' }],
    heads: ['fused'], numClasses: 3, config: cfg,
  }, 9);
  const rows = data.splits.train;
  const method = createMethod('pmr', { pmr: { alpha: 0.7 } });
  const hooks = method.stepHooks!(model, hookContext({ trainRows: rows, labels: data.labels, numClasses: 3, encode: (r) => encodeRows(model, data, r) }));
  const batch = Int32Array.from(rows.slice(0, 6));
  const info: StepInfo = { epoch: 0, step: 0, batch, weights: { weights: { fused: 1 }, mode: 'all' } };
  hooks.beforeStep!(info);
  const { inputs, oneHot } = gatherBatch(data, model.modalities, batch);
  const features = encodeRows(model, data, [...batch]);
  const loss = hooks.extraLoss!({ inputs, oneHot, logits: new Map(), features, headGrads: null }, info)!.dataSync()[0]!;

  // By hand: prototypes, distances, prototype softmax, scores, the rule, the cross-entropy.
  const all = encodeRows(model, data, rows);
  const labelsOf = (rs: number[]): number[] => rs.map((r) => data.labels[r]!);
  const byHand: Record<string, { score: number; ce: number }> = {};
  for (const m of ['a', 'b']) {
    const f = all.get(m)!.arraySync() as number[][];
    const protos = [0, 1, 2].map((k) => {
      const members = f.filter((_, i) => labelsOf(rows)[i] === k);
      return members[0]!.map((_, j) => members.reduce((s, row) => s + row[j]!, 0) / members.length);
    });
    const x = features.get(m)!.arraySync() as number[][];
    let score = 0;
    let ce = 0;
    labelsOf([...batch]).forEach((y, i) => {
      const z = protos.map((p) => -Math.sqrt(p.reduce((s, v, j) => s + (x[i]![j]! - v) ** 2, 0)));
      const max = Math.max(...z);
      const lse = max + Math.log(z.reduce((s, v) => s + Math.exp(v - max), 0));
      score += Math.exp(z[y]! - lse);
      ce += (lse - z[y]!) / batch.length;
    });
    byHand[m] = { score, ce };
  }
  const { coefficient } = pmrCoefficients({ a: byHand.a!.score, b: byHand.b!.score }, 0.7);
  const expected = coefficient.a! * byHand.a!.ce + coefficient.b! * byHand.b!.ce;
  assert.ok(coefficient.a! + coefficient.b! === 0.7, 'one modality is behind on this batch');
  assert.ok(Math.abs(loss - expected) < 1e-4, `loss ${loss}, by hand ${expected}`);
  tf.dispose([...features.values(), ...all.values(), inputs.a!, inputs.b!, oneHot]);
  method.dispose!();
  model.dispose();
  disposePrepared(data);
});
