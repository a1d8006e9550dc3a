/** One encoder and one head on a single modality: the baseline every fusion must beat. */
import { MethodError } from '../train/method.js';
import { never } from './common.js';
import type { MethodDefinition } from './definition.js';

export const uni: MethodDefinition = {
  name: 'uni',
  pattern: 'uni:<modality>',
  summary: 'one encoder and one head on a single modality',
  cost: 'one modality only: less than naive',
  inDefaults: 'per-modality',
  create(modality) {
    if (!modality) throw new MethodError(`method 'uni' needs a modality: write uni:<modality>`);
    return {
      name: `uni:${modality}`,
      heads: (modalities) => {
        if (!modalities.includes(modality)) {
          throw new MethodError(`method 'uni:${modality}': no modality '${modality}' (have: ${modalities.join(', ')})`);
        }
        return [modality];
      },
      mode: () => 'all',
      initialWeights: () => ({ [modality]: 1 }),
      beforeEpoch: never,
    };
  },
};
