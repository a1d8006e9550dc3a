/** Gradient-Blending, online (the paper's Algorithm 3): re-estimate before every super-epoch, over its length. */
import { onlineSchedule } from '../core/schedule.js';
import { everyHead, uniform } from './common.js';
import type { MethodDefinition } from './definition.js';

export const gblendOnline: MethodDefinition = {
  name: 'gblend-online',
  summary: 'weights re-estimated from OGR before every super-epoch (Algorithm 3)',
  cost: 'as aux, plus k+1 copies trained over every super-epoch',
  inDefaults: true,
  create: () => ({
    name: 'gblend-online',
    heads: everyHead('gblend-online'),
    mode: (blend) => blend.mode,
    initialWeights: uniform,
    beforeEpoch: async (epoch, ctx) => {
      const superEpoch = onlineSchedule(ctx.epochs, ctx.blend.warmupEpochs, ctx.blend.superEpochEpochs).find((s) => s.start === epoch);
      return superEpoch === undefined ? null : ctx.estimate(superEpoch.length, 'previous');
    },
  }),
};
