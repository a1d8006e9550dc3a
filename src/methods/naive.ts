/** Naive late fusion: every encoder, concatenated features, the fused head, the fused loss only. */
import { FUSED } from '../models/heads.js';
import { never, requireFusion } from './common.js';
import type { MethodDefinition } from './definition.js';

export const naive: MethodDefinition = {
  name: 'naive',
  summary: 'late fusion: concatenated features, fused head, fused loss only',
  cost: 'the reference',
  inDefaults: true,
  create: () => ({
    name: 'naive',
    heads: (modalities) => (requireFusion('naive', modalities), [FUSED]),
    mode: () => 'all',
    initialWeights: () => ({ [FUSED]: 1 }),
    beforeEpoch: never,
  }),
};
