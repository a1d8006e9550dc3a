/**
 * A run whose loss stops being a finite number has diverged: every later step would only spread the
 * NaN. The loop checks each step's loss before applying its gradient, so the model keeps its last
 * finite weights, and the run stops with this error, which each level above adds its context to
 * (method, seed, which estimate copy).
 */
import { UserError } from '../core/user-error.js';

export class DivergedError extends UserError {
  constructor(
    readonly loss: number,
    /** 1-based epoch and step within the loop that saw the loss; `steps` per epoch. */
    readonly epoch: number,
    readonly step: number,
    readonly steps: number,
    readonly context: readonly string[] = [],
    /** The checkpoint of the last good epoch boundary, kept to inspect or resume from; null: none. */
    readonly kept: { file: string; epoch: number } | null = null,
  ) {
    const where = context.length > 0 ? `${context.join(', ')}: ` : '';
    const keeps = kept === null ? '' : `; the checkpoint of epoch ${kept.epoch}, the last good one, is kept in ${kept.file}`;
    super('DIVERGED', `${where}the training loss became ${loss} at epoch ${epoch}, step ${step} of ${steps}: training diverged; lower the learning rate (optimizer.lr, --lr) and check the input scale${keeps}`);
  }

  /** The same failure seen from an outer level: its context first, and the epoch counted from `epochBase`. */
  within(context: readonly string[], epochBase = 0): DivergedError {
    return new DivergedError(this.loss, this.epoch + epochBase, this.step, this.steps, [...context, ...this.context], this.kept);
  }

  /** The same failure, with the checkpoint its run kept. */
  keptIn(file: string, epoch: number): DivergedError {
    return new DivergedError(this.loss, this.epoch, this.step, this.steps, this.context, { file, epoch });
  }
}
