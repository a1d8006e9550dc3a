/**
 * What training reports, as plain data. The run log writes these objects one per line (JSONL);
 * the CLI turns them into progress. Field names follow the run-log format of the issue tracker.
 */
import type { HeadEstimate } from '../core/blend.js';

export interface HeadEpochStats {
  train_loss: number;
  val_loss: number;
  train_acc: number;
  val_acc: number;
}

export interface StartEvent {
  event: 'start';
  method: string;
  seed: number;
  dataset: string;
  modalities: string[];
  heads: string[];
  backend: string;
  threads: number;
  /** On the native backend: libtorch's version, what matrix products run on, OpenBLAS's kernel. */
  native?: { torch: string; gemm: string; blasCore: string };
  sizes: { train: number; val: number; probe: number; test: number };
  config: unknown;
}

export interface EpochEvent {
  event: 'epoch';
  /** Epochs completed, 1-based. */
  epoch: number;
  weights: Record<string, number>;
  heads: Record<string, HeadEpochStats>;
  /** A method's own per-epoch quantities (e.g. OGM-GE's mean coefficient per modality), where it has any. */
  method?: Record<string, number>;
  seconds: number;
}

export interface BlendEstimateEvent {
  event: 'blend_estimate';
  /** Epochs the main model had completed when the estimate started (N). */
  epoch: number;
  /** Epochs each copy trained (n). */
  epochs: number;
  metric: 'loss' | 'accuracy';
  floor: 'se' | 'abs';
  heads: Record<string, HeadEstimate>;
  weights: Record<string, number>;
  fallback: 'none' | 'previous' | 'uniform';
  note: string | null;
  /**
   * Per head, its copy's mean loss and accuracy on V after its n epochs (absent in logs written before
   * they were recorded). The fused copy is naive fusion trained from the same snapshot (Figure 5b).
   */
  copies?: Record<string, { val_loss: number; val_acc: number }>;
  seconds: number;
}

export interface TestHeadMetrics {
  acc: number;
  top5?: number;
  macro_f1: number;
}

export interface TestEvent {
  event: 'test';
  heads: Record<string, TestHeadMetrics>;
}

/** Something about the data that does not stop the run but weakens its numbers (see core/split-warnings). */
export interface WarningEvent {
  event: 'warning';
  message: string;
}

/** What a method did at the end of training (e.g. early stopping: the epoch whose weights it kept). */
export interface MethodEndEvent {
  event: 'method_end';
  /** Epochs trained. */
  epochs: number;
  [field: string]: number | string;
}

export type RunEvent = StartEvent | WarningEvent | EpochEvent | BlendEstimateEvent | MethodEndEvent | TestEvent;

/** Fine-grained progress for long work; not written to the run log. */
export interface ProgressEvent {
  phase: 'train' | 'estimate';
  /** For estimates: the head whose copy is training. */
  head?: string;
  epoch: number;
  epochs: number;
}

export interface TrainCallbacks {
  onEvent?(event: RunEvent): void | Promise<void>;
  onProgress?(progress: ProgressEvent): void;
}
