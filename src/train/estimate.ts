/**
 * Algorithm 1 of the paper (method.md section 4): from the model at checkpoint N, train a separate
 * copy per head on that head's loss alone for n epochs, and measure LT and LV before and after.
 * The main model is not changed. OGR and the weights themselves are pure math in core/blend.
 */
import type { BlendConfig, OptimizerConfig } from '../config/schema.js';
import { estimateBlendWeights, type BlendResult, type HeadCheckpoints } from '../core/blend.js';
import type { Rng } from '../core/rng.js';
import { summarize, type Summary } from '../core/stats.js';
import type { MultiHeadModel } from '../models/multihead-model.js';
import { DivergedError } from './diverged.js';
import { evaluateHeads, type HeadOutputs } from './evaluate.js';
import type { ProgressEvent } from './events.js';
import { trainEpochs } from './loop.js';
import { makeOptimizer } from './optimizer.js';
import type { StopSignal } from './interrupted.js';
import type { PreparedData } from './prepared-data.js';

export interface EstimateContext {
  data: PreparedData;
  blend: BlendConfig;
  optimizer: OptimizerConfig;
  batchSize: number;
  rng: Rng;
  onProgress?: (p: ProgressEvent) => void;
  stop?: StopSignal;
}

/** Per-example loss, or per-example error (1 - correct) when the metric is accuracy. */
function measure(out: HeadOutputs, metric: 'loss' | 'accuracy'): Summary {
  return metric === 'loss' ? summarize(out.losses) : summarize(Array.from(out.correct, (c) => 1 - c));
}

/**
 * Where a copy ended on V: its mean loss and accuracy, whatever the blend metric. The fused head's copy
 * trained on the fused loss alone is naive fusion trained from the same snapshot as the main model:
 * the paper's Figure 5b compares the two after one super-epoch.
 */
export interface CopyOnV {
  val_loss: number;
  val_acc: number;
}

async function checkpoint(model: MultiHeadModel, head: string, ctx: EstimateContext): Promise<{ lt: Summary; lv: Summary; onV: CopyOnV }> {
  const onProbe = await evaluateHeads(model, ctx.data, ctx.data.splits.probe);
  const val = (await evaluateHeads(model, ctx.data, ctx.data.splits.val)).get(head)!;
  const onV = { val_loss: summarize(val.losses).mean, val_acc: summarize(val.correct).mean };
  return { lt: measure(onProbe.get(head)!, ctx.blend.metric), lv: measure(val, ctx.blend.metric), onV };
}

/** Trains the copy of one head for `epochs` epochs and returns its four measurements and where it ended on V. */
async function estimateHead(model: MultiHeadModel, head: string, epochs: number, rows: number[], ctx: EstimateContext): Promise<HeadCheckpoints & { after: CopyOnV }> {
  const copy = model.subModel(head);
  // A fresh optimizer of the configured kind for each copy ([choice] in method.md section 4).
  const optimizer = makeOptimizer(ctx.optimizer);
  try {
    const before = await checkpoint(copy, head, ctx);
    const rng = ctx.rng.fork(`copy-${head}`);
    await trainEpochs({
      model: copy, data: ctx.data, rows, epochs, weights: () => ({ weights: { [head]: 1 }, mode: 'all' }),
      optimizer, batchSize: ctx.batchSize, rng, ...(ctx.stop ? { stop: ctx.stop } : {}),
      hooks: { afterEpoch: async (e) => ctx.onProgress?.({ phase: 'estimate', head, epoch: e + 1, epochs }) },
    }).catch((err: unknown) => {
      throw err instanceof DivergedError ? err.within([`in the copy of head '${head}'`]) : err;
    });
    const after = await checkpoint(copy, head, ctx);
    return { lt0: before.lt, lv0: before.lv, lt1: after.lt, lv1: after.lv, after: after.onV };
  } finally {
    optimizer.dispose();
    copy.dispose();
  }
}

/**
 * The training rows the copies train on: all of them, or (blend.estimateFraction < 1) a random subset of
 * that fraction, the same for every head of one estimate, so that the heads are measured alike. A
 * cheaper estimate; V and T' are measured in full either way.
 */
export function estimateRows(train: number[], fraction: number, rng: Rng): number[] {
  if (fraction >= 1) return train;
  const n = Math.max(1, Math.round(fraction * train.length));
  return rng.shuffle([...train]).slice(0, n).sort((a, b) => a - b);
}

/** Estimates blend weights for every head of `model` over `epochs` epochs. */
export async function estimateWeights(
  model: MultiHeadModel,
  epochs: number,
  previous: Record<string, number> | null,
  ctx: EstimateContext,
): Promise<BlendResult & { copies: Record<string, CopyOnV> }> {
  const heads: Record<string, HeadCheckpoints> = {};
  const copies: Record<string, CopyOnV> = {};
  const rows = estimateRows(ctx.data.splits.train, ctx.blend.estimateFraction, ctx.rng.fork('rows'));
  for (const head of model.headNames) {
    const { after, ...measured } = await estimateHead(model, head, epochs, rows, ctx);
    heads[head] = measured;
    copies[head] = after;
  }
  return { ...estimateBlendWeights(heads, { floor: ctx.blend.floor, gain: ctx.blend.gain, eps: ctx.blend.eps, z: ctx.blend.z }, previous), copies };
}
