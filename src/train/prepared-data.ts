/**
 * A dataset made ready for training: splits (test, V, T', train minus V), inputs normalised with
 * statistics of the training rows only, and everything as tensors so batches are cheap gathers.
 */
import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '../core/rng.js';
import { makeTestSplit, makeTrainSplits, subsampleTrain } from '../core/splits.js';
import { UserError } from '../core/user-error.js';
import type { Dataset } from '../data/index.js';
import { applyNormalizer, type Normalizer } from '../core/normalize.js';

export interface Splits {
  /** Training data minus V: what the models train on. */
  train: number[];
  /** V: held out from training, stands in for the true distribution. */
  val: number[];
  /** T': a fixed subset of `train`, the size of V, for measuring training loss. */
  probe: number[];
  /** Used only for the final report. */
  test: number[];
}

export { applyNormalizer, type Normalizer } from '../core/normalize.js';

export interface PreparedData {
  name: string;
  classes: string[];
  modalities: string[];
  shapes: Record<string, number[]>;
  inputs: Record<string, tf.Tensor>;
  oneHot: tf.Tensor2D;
  labels: Int32Array;
  splits: Splits;
  normalizers: Record<string, Normalizer>;
}

/** The test split of a dataset without its own is drawn with this fixed seed, so every run seed is scored on the same test set. */
export const TEST_SPLIT_SEED = 0;

/** `trainExamples`: a stratified subset of the training split of about that size, drawn per seed, V included (null: all). */
export function computeSplits(ds: Dataset, valFraction: number, testFraction: number, seed: number, trainExamples: number | null = null): Splits {
  let train: number[];
  let test: number[];
  if (ds.split !== null) {
    train = [];
    test = [];
    ds.split.forEach((s, i) => (s === 1 ? test : train).push(i));
  } else {
    ({ train, test } = makeTestSplit(ds.labels, testFraction, TEST_SPLIT_SEED));
  }
  if (trainExamples !== null) train = subsampleTrain(ds.labels, train, trainExamples, seed);
  const inner = makeTrainSplits(ds.labels, train, valFraction, seed);
  return { ...inner, test };
}

export function fitNormalizer(data: Float32Array, featureSize: number, perFeature: boolean, rows: number[]): Normalizer {
  const width = perFeature ? featureSize : 1;
  const sum = new Float64Array(width);
  const sq = new Float64Array(width);
  for (const r of rows) {
    const base = r * featureSize;
    for (let j = 0; j < featureSize; j++) {
      const v = data[base + j]!;
      const k = perFeature ? j : 0;
      sum[k] += v;
      sq[k] += v * v;
    }
  }
  const n = rows.length * (perFeature ? 1 : featureSize);
  const mean: number[] = [];
  const std: number[] = [];
  for (let k = 0; k < width; k++) {
    const m = sum[k]! / n;
    const variance = Math.max(0, sq[k]! / n - m * m);
    mean.push(m);
    // A constant feature carries no information; dividing by ~0 would only blow up noise.
    std.push(variance > 1e-12 ? Math.sqrt(variance) : 1);
  }
  return { mean, std };
}

/** The noise of `inputNoise` is drawn from this seed (and the modality's name), the same for every run seed: part of the data, not of a run. */
export const INPUT_NOISE_SEED = 7;

/**
 * Adds N(0, sigma^2) to every value of `values` (standardised features), in place, from the modality's
 * own fixed stream: every example keeps the same noise in every epoch and run, so it can be memorised.
 */
function addInputNoise(values: Float32Array, sigma: number, modality: string): void {
  const rng = createRng(INPUT_NOISE_SEED).fork(`noise-${modality}`);
  for (let i = 0; i < values.length; i++) values[i] = values[i]! + sigma * rng.normal();
}

/** Every modality `inputNoise` names is one of the dataset's (checked before a run, see planRun). */
export function checkInputNoise(ds: Dataset, inputNoise: Record<string, number>): void {
  for (const m of Object.keys(inputNoise)) {
    if (!ds.modalities.some((x) => x.name === m)) {
      throw new UserError('bad_option', { key: 'inputNoise', rest: `: '${m}' is not a modality of ${ds.name} (${ds.modalities.map((x) => x.name).join(', ')})` });
    }
  }
}

/**
 * Normalised inputs of every example as tensors, plus the labels. `inputNoise` (modality -> sigma in
 * standard deviations of its features, config `inputNoise`) degrades a modality for experiments.
 */
export function prepareData(ds: Dataset, splits: Splits, inputNoise: Record<string, number> = {}): PreparedData {
  checkInputNoise(ds, inputNoise);
  const inputs: Record<string, tf.Tensor> = {};
  const normalizers: Record<string, Normalizer> = {};
  const shapes: Record<string, number[]> = {};
  const n = ds.labels.length;
  for (const m of ds.modalities) {
    const featureSize = m.shape.reduce((a, b) => a * b, 1);
    const norm = fitNormalizer(m.data, featureSize, m.shape.length === 1, splits.train);
    normalizers[m.name] = norm;
    shapes[m.name] = m.shape;
    const values = applyNormalizer(m.data, featureSize, norm);
    const sigma = inputNoise[m.name] ?? 0;
    if (sigma > 0) addInputNoise(values, sigma, m.name);
    inputs[m.name] = tf.tensor(values, [n, ...m.shape], 'float32');
  }
  const oneHot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(ds.labels, 'int32'), ds.classes.length), 'float32') as tf.Tensor2D);
  return {
    name: ds.name,
    classes: ds.classes,
    modalities: ds.modalities.map((m) => m.name),
    shapes,
    inputs,
    oneHot,
    labels: ds.labels,
    splits,
    normalizers,
  };
}

export function disposePrepared(data: PreparedData): void {
  Object.values(data.inputs).forEach((t) => t.dispose());
  data.oneHot.dispose();
}

/** Gathers rows of every modality and the one-hot labels. Call inside tf.tidy. */
export function gatherBatch(data: PreparedData, modalities: string[], rows: Int32Array): { inputs: Record<string, tf.Tensor>; oneHot: tf.Tensor } {
  const idx = tf.tensor1d(rows, 'int32');
  const inputs: Record<string, tf.Tensor> = {};
  for (const m of modalities) inputs[m] = tf.gather(data.inputs[m]!, idx);
  return { inputs, oneHot: tf.gather(data.oneHot, idx) };
}
