/** gblend.json, the file beside a saved model that says what predicting needs, and the error of saved models. */
import type { Normalizer } from '../core/normalize.js';
import { UserError } from '../core/user-error.js';

export type { Normalizer as Normalization } from '../core/normalize.js';

export interface ModelMetadata {
  format: 'gblend-model';
  /** 1: the graph takes normalised inputs; 2: the graph normalises raw inputs itself. */
  version: 1 | 2;
  /** True from version 2: `normalization` is already applied by the graph's first layers. */
  normalizedInGraph?: boolean;
  method: string;
  classes: string[];
  /** In the graph's input order. */
  modalities: { name: string; shape: number[]; normalization: Normalizer }[];
  /** In the graph's output order. */
  heads: string[];
  weights: Record<string, number>;
  test: Record<string, unknown>;
  config: unknown;
}

export class SavedModelError extends UserError {
  constructor(code: string, readonly file: string, message: string) {
    super(code, message);
  }
}

/** Whether the graph expects raw inputs (it holds the normalisation) rather than normalised ones. */
export function takesRawInputs(meta: Pick<ModelMetadata, 'version' | 'normalizedInGraph'>): boolean {
  return meta.version >= 2 && meta.normalizedInGraph === true;
}
