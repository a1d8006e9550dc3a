/**
 * Early stopping on V: naive late fusion, watched after every epoch through the fused head's loss
 * on V (the held-out part of the training set); training stops when it has not improved for
 * `patience` epochs, and the weights of the best epoch are restored before the test set. The
 * paper's baseline of section 3 (Table 5), as Keras' EarlyStopping with restore_best_weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { FUSED } from '../models/heads.js';
import { onFusedLoss } from './common.js';
import type { MethodDefinition } from './definition.js';

const options = z
  .object({
    patience: z.number().int().min(1).nullable().default(5).describe('epochs without improvement on V before stopping (null: train every epoch, then restore the best)'),
    monitor: z.enum(['loss', 'accuracy']).default('loss').describe("what 'better on V' means: lower fused loss, or higher fused accuracy"),
  })
  .strict();

export const earlyStop: MethodDefinition = {
  name: 'early-stop',
  summary: 'naive fusion, stopped when the fused loss on V stops improving; the best epoch is restored',
  cost: 'as naive, or less when it stops early',
  inDefaults: false,
  options,
  create: (_p, raw) => {
    const o = options.parse(raw);
    let best = { epoch: 0, score: Infinity };
    let snapshot: tf.Tensor[] | null = null;
    const dropSnapshot = (): void => {
      if (snapshot) tf.dispose(snapshot);
      snapshot = null;
    };
    return {
      ...onFusedLoss('early-stop'),
      initialWeights: () => {
        // A method object serves one run: start clean.
        dropSnapshot();
        best = { epoch: 0, score: Infinity };
        return { [FUSED]: 1 };
      },
      afterEpoch: (epoch, heads, model) => {
        const s = heads[FUSED]!;
        const score = o.monitor === 'loss' ? s.val_loss : -s.val_acc;
        if (score < best.score) {
          best = { epoch, score };
          dropSnapshot();
          snapshot = model.variables().map((v) => tf.clone(v));
        }
        return o.patience !== null && epoch - best.epoch >= o.patience;
      },
      saveState: () => ({ best, snapshot: snapshot?.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) })) ?? null }),
      loadState: (state) => {
        const st = state as { best: typeof best; snapshot: { shape: number[]; values: number[] }[] | null };
        dropSnapshot();
        best = st.best;
        snapshot = st.snapshot?.map((t) => tf.tensor(t.values, t.shape)) ?? null;
      },
      finish: (model) => {
        if (snapshot === null) return null;
        const variables = model.variables();
        snapshot.forEach((t, i) => variables[i]!.assign(t));
        dropSnapshot();
        return { best_epoch: best.epoch, [`best_val_${o.monitor}`]: o.monitor === 'loss' ? best.score : -best.score };
      },
    };
  },
};
