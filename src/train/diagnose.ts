/**
 * `gblend diagnose`: before a full run, whether fusion will hurt and why. On one seed, Algorithm 1
 * (method.md section 4) from the initial model, then `warmupEpochs` epochs of joint training of every
 * head with equal weights (aux), then Algorithm 1 again; each estimate trains a copy per head for
 * `estimateEpochs` epochs. The main model is the same as a G-Blend run's of that seed would start from.
 */
import type { TrainConfig } from '../config/schema.js';
import type { BlendResult } from '../core/blend.js';
import { readDiagnosis, type DiagnosisReading } from '../core/diagnosis.js';
import { createRng } from '../core/rng.js';
import type { Dataset } from '../data/index.js';
import { createMethod } from '../methods/registry.js';
import { DivergedError } from './diverged.js';
import { estimateWeights } from './estimate.js';
import type { ProgressEvent } from './events.js';
import type { StopSignal } from './interrupted.js';
import { trainEpochs } from './loop.js';
import { makeOptimizer } from './optimizer.js';
import { disposePrepared, prepareData } from './prepared-data.js';
import { modelFor, planRun } from './run.js';

export interface DiagnoseOptions {
  /** Epochs of joint training between the two estimates. */
  warmupEpochs: number;
  /** Epochs each head's copy trains in an estimate (n). */
  estimateEpochs: number;
}

export interface Diagnosis {
  dataset: string;
  modalities: string[];
  seed: number;
  sizes: { train: number; val: number; probe: number };
  options: DiagnoseOptions;
  metric: 'loss' | 'accuracy';
  /** Algorithm 1 from the initial model (epoch 0) and after the warm-up (epoch warmupEpochs). */
  estimates: { epoch: number; result: BlendResult }[];
  reading: DiagnosisReading;
}

export async function diagnoseOnDataset(config: TrainConfig, dataset: Dataset, options: DiagnoseOptions, onProgress?: (p: ProgressEvent) => void, stop?: StopSignal): Promise<Diagnosis> {
  // Every head, as G-Blend trains them; the checks and the splits are a run's.
  const aux = createMethod('aux');
  const { heads, splits } = planRun(config, dataset, aux);
  const data = prepareData(dataset, splits, config.inputNoise);
  const rng = createRng(config.seed);
  const model = modelFor(dataset, heads, config, rng);
  const optimizer = makeOptimizer(config.optimizer);
  const estimateRng = rng.fork('estimate');
  const estimateAt = async (epoch: number): Promise<{ epoch: number; result: BlendResult }> => {
    const result = await estimateWeights(model, options.estimateEpochs, null, {
      data, blend: config.blend, optimizer: config.optimizer, batchSize: config.batchSize, rng: estimateRng.fork(`at-${epoch}`),
      ...(onProgress ? { onProgress } : {}), ...(stop ? { stop } : {}),
    });
    return { epoch, result };
  };
  try {
    const initial = await estimateAt(0);
    const warmup = { weights: aux.initialWeights(heads), mode: aux.mode(config.blend) };
    await trainEpochs({
      model, data, rows: splits.train, epochs: options.warmupEpochs, weights: () => warmup, optimizer,
      batchSize: config.batchSize, rng: rng.fork('train'), ...(stop ? { stop } : {}),
      hooks: { afterEpoch: async (e) => onProgress?.({ phase: 'train', epoch: e + 1, epochs: options.warmupEpochs }) },
    }).catch((err: unknown) => {
      throw err instanceof DivergedError ? err.within([`diagnose warm-up`, `seed ${config.seed}`]) : err;
    });
    const warm = await estimateAt(options.warmupEpochs);
    const modalities = dataset.modalities.map((m) => m.name);
    return {
      dataset: dataset.name, modalities, seed: config.seed,
      sizes: { train: splits.train.length, val: splits.val.length, probe: splits.probe.length },
      options, metric: config.blend.metric, estimates: [initial, warm],
      reading: readDiagnosis(initial.result, warm.result, modalities, options.warmupEpochs, config.blend.metric),
    };
  } finally {
    optimizer.dispose();
    model.dispose();
    disposePrepared(data);
  }
}
