/**
 * A run's whole state at an epoch boundary as one value (the shape of nanoGPT's checkpoint dict and
 * Keras' BackupAndRestore): what a fresh process needs to go on and produce, bit for bit, the numbers
 * the uninterrupted run would have. `run.ts` captures and restores it; checkpoint-file.ts stores it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainConfig } from '../config/schema.js';
import type { Rng, RngState } from '../core/rng.js';
import { UserError } from '../core/user-error.js';
import type { MultiHeadModel } from '../models/multihead-model.js';
import type { Method } from './method.js';
import type { Optimizer, OptimizerState, SavedTensor } from './optimizer.js';

export interface RunState {
  version: 1;
  method: string;
  seed: number;
  /** The options the run was started with (threads aside), JSON: a checkpoint resumes only its own run. */
  config: string;
  /** Epochs completed. */
  epoch: number;
  /** The blend weights in force (the last estimate's, for Gradient-Blending). */
  blendWeights: Record<string, number>;
  /**
   * Every stream that advances across epochs. The estimate copies fork theirs by epoch and the loop's
   * dropout stream is made anew in each epoch from one draw of the train stream, so these three
   * positions fix every number drawn after the boundary.
   */
  rng: { train: RngState; estimate: RngState; method: RngState };
  /** The method's own state (Method.saveState), or null. */
  methodState: unknown;
  /** Bytes of the run log written up to this boundary: a resumed log is cut back to here (set by the log's owner). */
  logOffset: number;
  /** Wall seconds the run had trained up to this boundary, over all its sessions (set by the caller that times it). */
  seconds: number;
  /** The model's variables, in MultiHeadModel.variables() order. */
  model: SavedTensor[];
  optimizer: OptimizerState;
}

export class CheckpointError extends UserError {
  constructor(message: string) {
    super('bad_checkpoint', message);
  }
}

/** What identifies a run's options in its checkpoint; threads change speed, not the numbers' meaning. */
export function configKey(config: TrainConfig): string {
  const { threads: _t, ...rest } = config;
  return JSON.stringify(rest);
}

/** The live objects a RunState is taken from and put back into. */
export interface RunParts {
  model: MultiHeadModel;
  optimizer: Optimizer;
  method: Method;
  rng: { train: Rng; estimate: Rng; method: Rng };
  /** The method's own trainable variables (LoopHooks.variables): the optimizer steps them after the model's. */
  methodVariables?: tf.Variable[];
}

export async function captureRunState(p: RunParts, config: TrainConfig, epoch: number, blendWeights: Record<string, number>): Promise<RunState> {
  const variables = p.model.variables();
  const stepped = [...variables, ...(p.methodVariables ?? [])];
  return {
    version: 1, method: p.method.name, seed: config.seed, config: configKey(config), epoch, blendWeights: { ...blendWeights },
    rng: { train: p.rng.train.save(), estimate: p.rng.estimate.save(), method: p.rng.method.save() },
    methodState: p.method.saveState?.() ?? null,
    logOffset: 0,
    seconds: 0,
    model: saveVariables(variables),
    optimizer: await p.optimizer.saveState(stepped),
  };
}

/** Puts `state` back into a freshly built run (after Method.initialWeights); `where` names the checkpoint. */
export async function restoreRunState(state: RunState, p: RunParts, config: TrainConfig, where: string): Promise<void> {
  checkRunState(state, p.method.name, config.seed, config, where);
  const variables = p.model.variables();
  restoreVariables(variables, state.model, where);
  await p.optimizer.loadState(state.optimizer, [...variables, ...(p.methodVariables ?? [])]);
  p.rng.train.restore(state.rng.train);
  p.rng.estimate.restore(state.rng.estimate);
  p.rng.method.restore(state.rng.method);
  if (state.methodState !== null) p.method.loadState?.(state.methodState);
}

export function saveVariables(variables: tf.Variable[]): SavedTensor[] {
  return variables.map((v) => ({ shape: v.shape.slice(), values: (v.dataSync() as Float32Array).slice() }));
}

/** Puts saved values back into `variables`; `where` names the checkpoint in errors. */
export function restoreVariables(variables: tf.Variable[], saved: SavedTensor[], where: string): void {
  const fits = saved.length === variables.length && saved.every((t, i) => t.shape.join() === variables[i]!.shape.join());
  if (!fits) throw new CheckpointError(`${where}: the checkpoint's model does not match this run's model; delete it to start the run over`);
  variables.forEach((v, i) => {
    const t = tf.tensor(saved[i]!.values, saved[i]!.shape, 'float32');
    v.assign(t);
    t.dispose();
  });
}

/** Refuses a checkpoint of another run or of other options. */
export function checkRunState(state: RunState, method: string, seed: number, config: TrainConfig, where: string): void {
  if (state.method !== method || state.seed !== seed) {
    throw new CheckpointError(`${where}: the checkpoint is of ${state.method} seed ${state.seed}, not ${method} seed ${seed}`);
  }
  if (state.config !== configKey(config)) {
    throw new CheckpointError(`${where}: the checkpoint was made with other options; resume with the options it was started with, or delete it to start over`);
  }
}
