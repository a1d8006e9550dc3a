/** Library entry point of `gblend diagnose` (train/diagnose.ts): the CLI calls exactly this. */
import { parseTrainConfig } from '../config/load.js';
import type { TrainConfigInput } from '../config/schema.js';
import { UserError } from '../core/user-error.js';
import { initEngine } from '../engine/index.js';
import type { ProgressEvent } from '../train/events.js';
import type { StopSignal } from '../train/interrupted.js';
import { diagnoseOnDataset, type Diagnosis, type DiagnoseOptions } from '../train/diagnose.js';
import { openDataset } from './datasets.js';

export type { Diagnosis, DiagnoseOptions };

/**
 * Diagnoses `options.data` on seed `options.seed`. The warm-up defaults to online G-Blend's first
 * super-epoch (blend.warmupEpochs) and each estimate to its later super-epochs (blend.superEpochEpochs).
 */
export async function diagnose(options: TrainConfigInput, diag: Partial<DiagnoseOptions> = {}, onProgress?: (p: ProgressEvent) => void, stop?: StopSignal): Promise<Diagnosis> {
  const config = parseTrainConfig(options);
  const warmupEpochs = diag.warmupEpochs ?? config.blend.warmupEpochs;
  const estimateEpochs = diag.estimateEpochs ?? config.blend.superEpochEpochs;
  for (const [name, v] of [['warmupEpochs', warmupEpochs], ['estimateEpochs', estimateEpochs]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new UserError('bad_option', `${name} must be a positive integer, got ${v}`);
  }
  await initEngine({ backend: config.backend, ...(config.threads === null ? {} : { threads: config.threads }) });
  const dataset = await openDataset(config.data, config.modalities);
  if (dataset.modalities.length < 2) throw new UserError('bad_option', `diagnose compares modalities: ${dataset.name} has only ${dataset.modalities.length} (use a dataset with 2 or more)`);
  return diagnoseOnDataset(config, dataset, { warmupEpochs, estimateEpochs }, onProgress, stop);
}
