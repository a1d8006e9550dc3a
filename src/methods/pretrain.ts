/**
 * Pre-training, then joint fine-tuning: the paper's baseline of section 3 (Table 5). First each
 * encoder learns its own modality through its uni-modal head (the heads' losses averaged, the fused
 * head off); then the whole late-fusion model trains on the fused loss alone, as naive fusion, from
 * the pre-trained encoders.
 *
 * [choice] The paper pre-trains separate uni-modal networks; here the encoders pre-train inside the
 * one model (the same thing: each uni-modal loss reaches only its own encoder and head), for
 * `fraction` of the epochs (default half), with one optimizer throughout.
 */
import { z } from 'zod';
import { FUSED } from '../models/heads.js';
import { everyHead } from './common.js';
import type { MethodDefinition } from './definition.js';

const options = z
  .object({
    fraction: z.number().gt(0).lt(1).default(0.5).describe('fraction of the epochs spent pre-training the encoders on their own modality'),
  })
  .strict();

export const pretrain: MethodDefinition = {
  name: 'pretrain',
  summary: 'each encoder first trained on its own modality, then the fused model fine-tuned on the fused loss',
  cost: 'as naive (the pre-training epochs are part of the budget)',
  inDefaults: false,
  options,
  create: (_p, raw) => {
    const o = options.parse(raw);
    const uniOnly = (heads: string[]): Record<string, number> => {
      const uni = heads.filter((h) => h !== FUSED);
      return Object.fromEntries(heads.map((h) => [h, h === FUSED ? 0 : 1 / uni.length]));
    };
    let heads: string[] = [];
    return {
      name: 'pretrain',
      heads: everyHead('pretrain'),
      mode: () => 'all',
      initialWeights: (h) => ((heads = h), uniOnly(h)),
      beforeEpoch: async (epoch, ctx) => {
        // At least one epoch of each phase.
        const switchAt = Math.min(ctx.epochs - 1, Math.max(1, Math.round(o.fraction * ctx.epochs)));
        return epoch === switchAt ? Object.fromEntries(heads.map((h) => [h, h === FUSED ? 1 : 0])) : null;
      },
    };
  },
};
