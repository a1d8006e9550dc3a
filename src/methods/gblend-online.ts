/** Gradient-Blending, online (the paper's Algorithm 3): re-estimate before every super-epoch, over its length. */
import { onlineSchedule } from '../core/schedule.js';
import { everyHead, uniform } from './common.js';
import type { MethodDefinition } from './definition.js';

export const gblendOnline: MethodDefinition = {
  name: 'gblend-online',
  summary: 'weights re-estimated from OGR before every super-epoch (Algorithm 3)',
  cost: 'as aux, plus k+1 copies trained over every super-epoch (fewer with blend.estimateEvery, estimateEpochs, estimateFraction)',
  inDefaults: true,
  create: () => ({
    name: 'gblend-online',
    heads: everyHead('gblend-online'),
    mode: (blend) => blend.mode,
    initialWeights: uniform,
    beforeEpoch: async (epoch, ctx) => {
      const schedule = onlineSchedule(ctx.epochs, ctx.blend.warmupEpochs, ctx.blend.superEpochEpochs);
      const index = schedule.findIndex((s) => s.start === epoch);
      // Cheaper variants (docs/results.md, The cost of the estimate): an estimate before every k-th
      // super-epoch only, the others keeping the last weights; copies trained for fewer epochs.
      if (index < 0 || index % ctx.blend.estimateEvery !== 0) return null;
      const length = schedule[index]!.length;
      return ctx.estimate(Math.min(length, ctx.blend.estimateEpochs ?? length), 'previous');
    },
  }),
};
