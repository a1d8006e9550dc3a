/**
 * One (method, seed) run of a comparison as plain data, so that it can be handed to a worker process,
 * and its execution, the same in-process and in a worker: the results cannot depend on where it ran.
 */
import type { TrainConfig } from '../config/schema.js';
import type { ConcreteBackend } from '../engine/choose-backend.js';
import type { Dataset } from '../data/index.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { SeedResult } from '../report/results.js';
import type { TrainCallbacks } from '../train/events.js';
import { runResumable, type ResumableOptions, type RunFiles } from './resumable-run.js';

export interface Job {
  /** Position in the comparison (methods x seeds order): results are aggregated in this order. */
  index: number;
  /** The run's name in the comparison: its method, or method@fusion (api/comparison-grid.ts). */
  name: string;
  /** The run's options, method and seed included. */
  config: TrainConfig;
  /** The dataset folder, resolved, and the modalities to keep (null: all). */
  dataDir: string;
  files: RunFiles & { result: string | null };
  /** Take up the run's checkpoint if it has one. */
  resume: boolean;
  /**
   * The backend to train on where the caller has already resolved config.backend (a queue worker runs
   * its coordinator's, so that every run of a grid computes alike); config.backend stays as the user
   * gave it, since the run log records it.
   */
  backend?: ConcreteBackend;
}

export async function executeJob(job: Job, dataset: Dataset, options: Omit<ResumableOptions, 'resume'>, callbacks: TrainCallbacks): Promise<SeedResult> {
  return runResumable(job.config, dataset, job.files, { ...options, resume: job.resume }, callbacks, async (run, seconds) => {
    const result: SeedResult = { method: job.name, seed: run.seed, weights: run.weights, test: run.test, seconds };
    // The moment the run counts as done: a resume finds this file and trains the run no more.
    if (job.files.result !== null) await writeFileAtomic(job.files.result, `${JSON.stringify(result)}\n`, 'the run result');
    return result;
  });
}
