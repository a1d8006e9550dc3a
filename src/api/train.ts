/** Library entry points for training: the CLI calls exactly these. */
import { parseTrainConfig } from '../config/load.js';
import type { TrainConfigInput } from '../config/schema.js';
import type { Dataset } from '../data/index.js';
import { validateDataset } from '../data/index.js';
import { initEngine } from '../engine/index.js';
import { createMethod } from '../methods/registry.js';
import { checkModelDestination } from '../models/model-dir.js';
import { saveModel } from '../models/saved-model.js';
import type { TrainCallbacks } from '../train/events.js';
import type { StopSignal } from '../train/interrupted.js';
import { trainOnDataset, type TrainedRun } from '../train/run.js';
import { runResumable } from '../pool/resumable-run.js';
import { openDataset, selectOption } from './datasets.js';

/**
 * Trains one model. `options` is validated against the one config schema (unknown keys and bad values
 * throw ConfigError); `dataset` overrides `options.data` with an in-memory dataset.
 */
export async function train(options: TrainConfigInput, callbacks: TrainCallbacks = {}, dataset?: Dataset): Promise<TrainedRun> {
  const config = parseTrainConfig(options);
  await initEngine({ backend: config.backend, ...(config.threads === null ? {} : { threads: config.threads }) });
  let ds: Dataset;
  if (dataset !== undefined) {
    validateDataset(dataset, 'dataset');
    ds = config.modalities === null ? dataset : selectOption(dataset, config.modalities);
  } else {
    ds = await openDataset(config.data, config.modalities);
  }
  return trainOnDataset(config, ds, createMethod(config.method, config.methodOptions), callbacks);
}

/** Saves a trained run in TensorFlow.js format (model.json, weights.bin) with gblend.json beside it. */
export async function saveTrained(run: TrainedRun, dir: string): Promise<void> {
  await saveModel(
    run.model,
    {
      method: run.method,
      classes: run.data.classes,
      modalities: run.model.modalities.map((m) => ({ name: m, shape: run.data.shapes[m]!, normalization: run.data.normalizers[m]! })),
      weights: run.weights,
      test: run.test,
      config: run.config,
    },
    dir,
  );
}

/** Throws a one-line error if a model could not be saved at `dir` (a file, a folder of other files, read-only). */
export async function checkSaveDestination(dir: string): Promise<void> {
  await checkModelDestination(dir);
}

/** Where `train --out DIR` keeps its checkpoint: beside the model's folder (DIR.checkpoint), never inside it. */
export function trainCheckpointFile(dir: string): string {
  return `${dir.replace(/[\\/]+$/, '')}.checkpoint`;
}

export interface TrainControl {
  /** Take up DIR.checkpoint, if a previous `train` into DIR was interrupted. */
  resume?: boolean;
  /** The JSONL run log (resumed with the run). */
  log?: string | null;
  stop?: StopSignal;
}

/**
 * Trains one model into `dir`, keeping a checkpoint (pool/resumable-run.ts) that is removed once the
 * model is saved; an interrupted run goes on from it with `resume`. Returns what the CLI prints.
 */
export async function trainAndSave(options: TrainConfigInput, dir: string, callbacks: TrainCallbacks = {}, control: TrainControl = {}): Promise<Pick<TrainedRun, 'method' | 'seed' | 'test'>> {
  const config = parseTrainConfig(options);
  await checkModelDestination(dir);
  await initEngine({ backend: config.backend, ...(config.threads === null ? {} : { threads: config.threads }) });
  const dataset = await openDataset(config.data, config.modalities);
  const files = { checkpoint: trainCheckpointFile(dir), log: control.log ?? null };
  return runResumable(config, dataset, files, { resume: control.resume === true, ...(control.stop ? { stop: control.stop } : {}) }, callbacks, async (run) => {
    await saveTrained(run, dir);
    return { method: run.method, seed: run.seed, test: run.test };
  });
}
