/**
 * Inference-mode evaluation of every head on a fixed set of examples: per-example losses and
 * correctness (the inputs of OGR and of the logs), and scores when the caller wants metrics.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { MultiHeadModel } from '../models/multihead-model.js';
import { perExampleCrossEntropy } from './losses.js';
import { nativeEvaluate } from './native-step.js';
import { gatherBatch, type PreparedData } from './prepared-data.js';

export interface HeadOutputs {
  losses: Float32Array;
  correct: Uint8Array;
  /** Logits, rows x classes; only when requested. */
  scores: Float32Array | null;
}

const EVAL_BATCH = 512;

export async function evaluateHeads(model: MultiHeadModel, data: PreparedData, rows: number[], withScores = false): Promise<Map<string, HeadOutputs>> {
  const numClasses = data.classes.length;
  const result = new Map<string, HeadOutputs>();
  for (const h of model.headNames) {
    result.set(h, {
      losses: new Float32Array(rows.length),
      correct: new Uint8Array(rows.length),
      scores: withScores ? new Float32Array(rows.length * numClasses) : null,
    });
  }
  for (let start = 0; start < rows.length; start += EVAL_BATCH) {
    const chunk = Int32Array.from(rows.slice(start, start + EVAL_BATCH));
    const heads = model.headNames;
    const native = nativeEvaluate(model, data, chunk, withScores);
    if (native !== null) {
      unpackNative(native, heads.map((h) => result.get(h)!), start, chunk.length, numClasses);
      continue;
    }
    // Per head [loss, correct(, logits)], flattened so tidy can keep them.
    const kept = tf.tidy(() => {
      const { inputs, oneHot } = gatherBatch(data, model.modalities, chunk);
      const logits = model.forward(inputs, { training: false });
      const labels = tf.argMax(oneHot, 1);
      return heads.flatMap((h) => {
        const z = logits.get(h)!;
        const parts: tf.Tensor[] = [perExampleCrossEntropy(z, oneHot), tf.cast(tf.equal(tf.argMax(z, 1), labels), 'int32')];
        if (withScores) parts.push(z);
        return parts;
      });
    });
    const per = withScores ? 3 : 2;
    for (let i = 0; i < heads.length; i++) {
      const out = result.get(heads[i]!)!;
      out.losses.set((await kept[i * per]!.data()) as Float32Array, start);
      out.correct.set((await kept[i * per + 1]!.data()) as Int32Array, start);
      if (withScores) out.scores!.set((await kept[i * per + 2]!.data()) as Float32Array, start * numClasses);
    }
    tf.dispose(kept);
  }
  return result;
}

/** Spreads the native evaluation's rows ([loss, correct, logits...] per head and row) into each head's outputs. */
function unpackNative(values: Float32Array, outs: HeadOutputs[], start: number, rows: number, numClasses: number): void {
  const per = outs[0]?.scores ? 2 + numClasses : 2;
  outs.forEach((out, h) => {
    for (let i = 0; i < rows; i++) {
      const at = (h * rows + i) * per;
      out.losses[start + i] = values[at]!;
      out.correct[start + i] = values[at + 1]!;
      if (out.scores) out.scores.set(values.subarray(at + 2, at + per), (start + i) * numClasses);
    }
  });
}

export function meanOf(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length === 0 ? NaN : s / values.length;
}

/** Each modality's encoder output for `rows`, in inference mode, concatenated over chunks. Caller disposes. */
export function encodeRows(model: MultiHeadModel, data: PreparedData, rows: number[]): Map<string, tf.Tensor> {
  const out = tf.tidy(() => {
    const parts = new Map<string, tf.Tensor[]>(model.modalities.map((m) => [m, []]));
    for (let start = 0; start < rows.length; start += EVAL_BATCH) {
      const { inputs } = gatherBatch(data, model.modalities, Int32Array.from(rows.slice(start, start + EVAL_BATCH)));
      model.forward(inputs, { training: false, onFeatures: (f) => f.forEach((t, m) => parts.get(m)!.push(t)) });
    }
    return Object.fromEntries([...parts].map(([m, ts]) => [m, ts.length === 1 ? ts[0]! : tf.concat(ts, 0)]));
  });
  return new Map(Object.entries(out));
}
