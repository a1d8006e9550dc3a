/**
 * One run that survives a crash: it checkpoints at epoch boundaries, keeps its run log in step with
 * it, and, asked to resume, takes up the last checkpoint. Used in-process by `train` and
 * `compare --jobs 1`, and by each worker of `compare --jobs N` and of the queue.
 *
 * A checkpoint is written (and the log synced) at the first epoch boundary once
 * GBLEND_CHECKPOINT_SECONDS (default 1) have passed since the last write, so that epochs of a few
 * milliseconds do not spend most of their time syncing files; a crash loses at most that long plus
 * an epoch. The boundaries in between are kept in memory, and an interrupted run (Ctrl-C, a stop
 * request) or a diverged one writes the last of them before it ends: what it keeps is always its last
 * finished epoch (for a diverged run, the last good one, to inspect or resume from).
 *
 * The order of the last writes makes every crash instant recoverable: the caller's commit (a result
 * file, a saved model) is the moment the run counts as done; the log is renamed after it and the
 * checkpoint removed last, so a resume finds either a checkpoint to go on from or a finished run.
 */
import { rm } from 'node:fs/promises';
import { ConfigError } from '../config/load.js';
import type { TrainConfig } from '../config/schema.js';
import type { Dataset } from '../data/index.js';
import { createMethod } from '../methods/registry.js';
import { RunLogWriter } from '../report/run-log.js';
import { readCheckpoint, writeCheckpoint } from '../train/checkpoint-file.js';
import type { TrainCallbacks } from '../train/events.js';
import type { RunState } from '../train/checkpoint.js';
import { DivergedError } from '../train/diverged.js';
import { InterruptedError, type StopSignal } from '../train/interrupted.js';
import { trainOnDataset, type TrainedRun } from '../train/run.js';

export const CHECKPOINT_SECONDS_ENV = 'GBLEND_CHECKPOINT_SECONDS';
const DEFAULT_CHECKPOINT_SECONDS = 1;

/** The least time between two checkpoint writes, in seconds (0: at every epoch boundary). */
export function checkpointSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[CHECKPOINT_SECONDS_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_CHECKPOINT_SECONDS;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    throw new ConfigError('environment', CHECKPOINT_SECONDS_ENV, `${CHECKPOINT_SECONDS_ENV}: must be a number of seconds, 0 or more, got '${raw}'`);
  }
  return n;
}

export interface RunFiles {
  /** Where the run's checkpoint lives; null: no checkpoints (and nothing to resume). */
  checkpoint: string | null;
  /** The JSONL run log; null: none. */
  log: string | null;
}

export interface ResumableOptions {
  /** Take up the checkpoint if there is one (otherwise start afresh, replacing any partial log). */
  resume: boolean;
  stop?: StopSignal;
  /** Called before each file write: a worker whose parent died must not write over a resumed run. */
  beforeWrite?: () => void;
  /** Called after each checkpoint is written, log and all: a queue worker copies both to the queue there. */
  afterSave?: () => Promise<void>;
}

/**
 * Trains `config`'s run; `commit` stores what the run produced (the caller disposes the model there)
 * and returns the caller's result.
 */
export async function runResumable<T>(
  config: TrainConfig, dataset: Dataset, files: RunFiles, options: ResumableOptions, callbacks: TrainCallbacks,
  commit: (run: TrainedRun, seconds: number) => Promise<T>,
): Promise<T> {
  const { checkpoint } = files;
  const guard = options.beforeWrite ?? (() => undefined);
  // Read before any file is opened: a bad setting fails with nothing to clean up.
  const interval = checkpointSeconds() * 1000;
  const state = checkpoint !== null && options.resume ? await readCheckpoint(checkpoint) : null;
  const log = files.log === null ? null : state !== null ? await RunLogWriter.resume(files.log, state.logOffset) : await RunLogWriter.create(files.log);
  const t0 = performance.now();
  const seconds = (): number => (state?.seconds ?? 0) + (performance.now() - t0) / 1000;
  let checkpointed = state !== null;
  // The epoch of the checkpoint on disk, if any.
  let keptEpoch = state?.epoch ?? null;
  let committed = false;
  let lastWrite = performance.now();
  // The last epoch boundary not yet written (a RunState with its log offset and seconds filled in).
  let pending: RunState | null = null;
  const writePending = async (): Promise<void> => {
    if (checkpoint === null || pending === null) return;
    const s = pending;
    pending = null;
    // The log first: the checkpoint points into it, and that part must be on disk by then.
    await log?.flush();
    guard();
    await writeCheckpoint(checkpoint, s);
    lastWrite = performance.now();
    checkpointed = true;
    keptEpoch = s.epoch;
    await options.afterSave?.();
  };
  try {
    const run = await trainOnDataset(config, dataset, createMethod(config.method, config.methodOptions), {
      onEvent: async (e) => {
        guard();
        await log?.write(e);
        await callbacks.onEvent?.(e);
      },
      ...(callbacks.onProgress ? { onProgress: callbacks.onProgress } : {}),
    }, {
      resume: state, ...(checkpoint !== null ? { where: checkpoint } : {}), ...(options.stop ? { stop: options.stop } : {}),
      ...(checkpoint === null ? {} : {
        save: async (s) => {
          pending = { ...s, logOffset: log?.offset ?? 0, seconds: seconds() };
          if (performance.now() - lastWrite >= interval) await writePending();
        },
      }),
    }).catch(async (err: unknown) => {
      // Stopped between two writes: keep the last finished epoch, as the stop promised.
      if (err instanceof InterruptedError) await writePending();
      // Diverged: the last epoch boundary was still good (a step's loss is checked before its update).
      if (err instanceof DivergedError) {
        await writePending();
        if (checkpoint !== null && keptEpoch !== null) throw err.keptIn(checkpoint, keptEpoch);
      }
      throw err;
    });
    let result: T;
    try {
      guard();
      result = await commit(run, seconds());
    } finally {
      run.model.dispose();
    }
    committed = true;
    return result;
  } finally {
    if (committed) {
      await log?.close(true);
      if (checkpoint !== null) await rm(checkpoint, { force: true });
    } else if (checkpointed) {
      // Interrupted, crashed or failed after a checkpoint: the log stays in step with it, to resume from.
      await log?.keepPartial();
    } else {
      await log?.close(false);
    }
  }
}
