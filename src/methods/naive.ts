/** Naive late fusion: every encoder, concatenated features, the fused head, the fused loss only. */
import { onFusedLoss } from './common.js';
import type { MethodDefinition } from './definition.js';

export const naive: MethodDefinition = {
  name: 'naive',
  summary: 'late fusion: concatenated features, fused head, fused loss only',
  cost: 'the reference',
  inDefaults: true,
  create: () => onFusedLoss('naive'),
};
