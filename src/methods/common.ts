/** Small pieces several methods share. */
import { FUSED } from '../models/heads.js';
import { MethodError, type Method } from '../train/method.js';

export const uniform = (heads: string[]): Record<string, number> => Object.fromEntries(heads.map((h) => [h, 1 / heads.length]));

/** Every uni-modal head and the fused head. */
export const allHeads = (modalities: string[]): string[] => [...modalities, FUSED];

/** For methods whose weights never change between epochs. */
export const never = async (): Promise<null> => null;

export function requireFusion(name: string, modalities: string[]): void {
  if (modalities.length < 2) throw new MethodError(`method '${name}' needs at least 2 modalities, got ${modalities.length}`);
}

/** `heads` of a method with every uni-modal head plus the fused head (at least 2 modalities). */
export const everyHead = (name: string) => (modalities: string[]): string[] => (requireFusion(name, modalities), allHeads(modalities));

/** What a method trained on the fused loss alone shares with naive fusion (methods add their hooks). */
export function onFusedLoss(name: string): Pick<Method, 'name' | 'heads' | 'mode' | 'initialWeights' | 'beforeEpoch'> {
  return {
    name,
    heads: (modalities) => (requireFusion(name, modalities), [FUSED]),
    mode: () => 'all',
    initialWeights: () => ({ [FUSED]: 1 }),
    beforeEpoch: never,
  };
}

/** What a method on every head's plain loss (L_fused + sum_m L_m, every weight 1) shares (methods add their hooks). */
export function onEveryPlainLoss(name: string): Pick<Method, 'name' | 'heads' | 'mode' | 'initialWeights' | 'beforeEpoch'> {
  return {
    name,
    heads: everyHead(name),
    mode: () => 'all',
    initialWeights: (heads) => Object.fromEntries(heads.map((h) => [h, 1])),
    beforeEpoch: never,
  };
}

/** Per-step quantities averaged over each epoch, for the run log's epoch event (StepHookContext.report). */
export class EpochMeans {
  private sums: Record<string, number> = {};
  private steps = 0;

  /** Adds one step's values. */
  add(values: Record<string, number>): void {
    for (const [k, v] of Object.entries(values)) this.sums[k] = (this.sums[k] ?? 0) + v;
    this.steps++;
  }

  /** Reports the means of the steps added since the last flush, if any, and starts over. */
  flush(report: (stats: Record<string, number>) => void): void {
    if (this.steps > 0) report(Object.fromEntries(Object.entries(this.sums).map(([k, v]) => [k, v / this.steps])));
    this.sums = {};
    this.steps = 0;
  }
}
