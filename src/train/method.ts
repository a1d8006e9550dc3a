/**
 * What a training method is to the one loop: which heads the model has, how their losses are
 * blended, when weights change (per epoch, e.g. Gradient-Blending's estimates) and what it does at
 * each step (through the loop's hooks, e.g. gradient modulation). The methods themselves live in
 * src/methods/, one file each; the run receives one of them and never names any.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BlendConfig } from '../config/schema.js';
import type { Rng } from '../core/rng.js';
import { UserError } from '../core/user-error.js';
import type { FusionName } from '../models/fusions/names.js';
import type { MultiHeadModel } from '../models/multihead-model.js';
import type { HeadEpochStats } from './events.js';
import type { BlendMode, LoopHooks } from './loop.js';

export interface MethodContext {
  epochs: number;
  blend: BlendConfig;
  /**
   * Runs Algorithm 1 over `epochs` epochs from the current model and returns the new weights.
   * When no head generalized, `onNoSignal` says what to keep: the current weights or uniform ones.
   */
  estimate(epochs: number, onNoSignal: 'previous' | 'uniform'): Promise<Record<string, number>>;
}

export interface Method {
  name: string;
  /** The fusions (model.fusion) the method is defined for; every fusion when absent. */
  fusions?: readonly FusionName[];
  heads(modalities: string[]): string[];
  mode(blend: BlendConfig): BlendMode;
  initialWeights(heads: string[]): Record<string, number>;
  /** Called before each epoch (0-based); returns new weights, or null to keep the current ones. */
  beforeEpoch(epoch: number, ctx: MethodContext): Promise<Record<string, number> | null>;
  /** Per-step hooks for the run's main model (not the estimate copies); made once per run. */
  stepHooks?(model: MultiHeadModel, run: StepHookContext): LoopHooks;
  /**
   * After each epoch's T'/V measurement (epoch 1-based, as in the run log). Returns true to stop
   * training here; the run then goes on to `finish` and the test set.
   */
  afterEpoch?(epoch: number, heads: Record<string, HeadEpochStats>, model: MultiHeadModel): boolean;
  /** After the last epoch, before the test set: e.g. restore the best epoch's weights. Returns log fields. */
  finish?(model: MultiHeadModel): Record<string, number> | null;
  /**
   * What the method carries from one epoch to the next beyond the run's weights (e.g. early stopping's
   * best epoch and its weights), as a JSON-able value, for checkpoints; undefined when it carries nothing.
   */
  saveState?(): unknown;
  /** Restores what saveState returned, in a fresh method object, before training resumes. */
  loadState?(state: unknown): void;
  /** Frees what the method holds (its own variables); called once when the run ends, however it ends. */
  dispose?(): void;
}

export interface StepHookContext {
  epochs: number;
  /** The method's own random stream (e.g. OGM-GE's gradient noise), forked from the run's seed. */
  rng: Rng;
  /** Adds per-epoch quantities (means over the epoch's steps) to the run log's epoch event. */
  report(epochStats: Record<string, number>): void;
  /** The training rows (V and the test set excluded) and every row's label. */
  trainRows: number[];
  labels: Int32Array;
  numClasses: number;
  /** Each modality's encoder output for `rows`, in inference mode (e.g. class prototypes). Caller disposes. */
  encode(rows: number[]): Map<string, tf.Tensor>;
}

export class MethodError extends UserError {
  constructor(message: string) {
    super('bad_method', message);
  }
}
