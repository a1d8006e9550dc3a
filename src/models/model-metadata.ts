/** gblend.json, the file beside a saved model that says what predicting needs, and the error of saved models. */
import { UserError } from '../core/user-error.js';

export interface Normalization {
  mean: number[];
  std: number[];
}

export interface ModelMetadata {
  format: 'gblend-model';
  version: 1;
  method: string;
  classes: string[];
  /** In the graph's input order. */
  modalities: { name: string; shape: number[]; normalization: Normalization }[];
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
