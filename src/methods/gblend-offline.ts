/** Gradient-Blending, offline (the paper's Algorithm 2): one estimate from the initial model, then fixed weights. */
import { everyHead, uniform } from './common.js';
import type { MethodDefinition } from './definition.js';

export const gblendOffline: MethodDefinition = {
  name: 'gblend-offline',
  summary: 'weights estimated once from OGR at the start (Algorithm 2)',
  cost: 'as aux, plus one estimate: k+1 copies trained for the whole budget',
  inDefaults: true,
  create: () => ({
    name: 'gblend-offline',
    heads: everyHead('gblend-offline'),
    mode: (blend) => blend.mode,
    initialWeights: uniform,
    beforeEpoch: async (epoch, ctx) => (epoch === 0 ? ctx.estimate(ctx.blend.estimateEpochs ?? ctx.epochs, 'uniform') : null),
  }),
};
