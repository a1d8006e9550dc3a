/** Auxiliary losses with equal weights: the plain loss sum_i L_i / (k+1), as in the paper. */
import { everyHead, never, uniform } from './common.js';
import type { MethodDefinition } from './definition.js';

export const aux: MethodDefinition = {
  name: 'aux',
  summary: 'every uni-modal head plus the fused head, equal loss weights',
  cost: 'k small heads more than naive',
  inDefaults: true,
  create: () => ({
    name: 'aux',
    heads: everyHead('aux'),
    mode: () => 'all',
    initialWeights: uniform,
    beforeEpoch: never,
  }),
};
