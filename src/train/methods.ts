/**
 * Training methods as small strategies on the one loop: which heads the model has, how their
 * losses are blended, and (for Gradient-Blending) when weights are re-estimated.
 */
import type { BlendConfig } from '../config/schema.js';
import { onlineSchedule } from '../core/schedule.js';
import { UserError } from '../core/user-error.js';
import { FUSED } from '../models/heads.js';
import type { BlendMode } from './loop.js';

export interface MethodContext {
  epochs: number;
  blend: BlendConfig;
  /**
   * Runs Algorithm 1 over `epochs` epochs from the current model and returns the new weights.
   * When no head generalized, `onNoSignal` says what to keep: the current weights or uniform ones.
   */
  estimate(epochs: number, onNoSignal: 'previous' | 'uniform'): Promise<Record<string, number>>;
}

export interface Method {
  name: string;
  heads(modalities: string[]): string[];
  mode(blend: BlendConfig): BlendMode;
  initialWeights(heads: string[]): Record<string, number>;
  /** Called before each epoch (0-based); returns new weights, or null to keep the current ones. */
  beforeEpoch(epoch: number, ctx: MethodContext): Promise<Record<string, number> | null>;
}

export class MethodError extends UserError {
  constructor(message: string) {
    super('bad_method', message);
  }
}

const uniform = (heads: string[]): Record<string, number> => Object.fromEntries(heads.map((h) => [h, 1 / heads.length]));
const allHeads = (modalities: string[]): string[] => [...modalities, FUSED];
const never = async (): Promise<null> => null;

function uni(modality: string): Method {
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
}

function requireFusion(name: string, modalities: string[]): void {
  if (modalities.length < 2) throw new MethodError(`method '${name}' needs at least 2 modalities, got ${modalities.length}`);
}

const naive: Method = {
  name: 'naive',
  heads: (modalities) => (requireFusion('naive', modalities), [FUSED]),
  mode: () => 'all',
  initialWeights: () => ({ [FUSED]: 1 }),
  beforeEpoch: never,
};

/** Auxiliary losses with equal weights: the plain loss sum_i L_i / (k+1), as in the paper. */
const aux: Method = {
  name: 'aux',
  heads: (modalities) => (requireFusion('aux', modalities), allHeads(modalities)),
  mode: () => 'all',
  initialWeights: uniform,
  beforeEpoch: never,
};

/** Algorithm 2: one estimate from the initial model, then fixed weights for the whole run. */
const gblendOffline: Method = {
  name: 'gblend-offline',
  heads: (modalities) => (requireFusion('gblend-offline', modalities), allHeads(modalities)),
  mode: (blend) => blend.mode,
  initialWeights: uniform,
  beforeEpoch: async (epoch, ctx) => (epoch === 0 ? ctx.estimate(ctx.blend.estimateEpochs ?? ctx.epochs, 'uniform') : null),
};

/** Algorithm 3: re-estimate before every super-epoch, over that super-epoch's length. */
const gblendOnline: Method = {
  name: 'gblend-online',
  heads: (modalities) => (requireFusion('gblend-online', modalities), allHeads(modalities)),
  mode: (blend) => blend.mode,
  initialWeights: uniform,
  beforeEpoch: async (epoch, ctx) => {
    const superEpoch = onlineSchedule(ctx.epochs, ctx.blend.warmupEpochs, ctx.blend.superEpochEpochs).find((s) => s.start === epoch);
    return superEpoch === undefined ? null : ctx.estimate(superEpoch.length, 'previous');
  },
};

export function methodByName(name: string): Method {
  if (name.startsWith('uni:')) return uni(name.slice(4));
  const found = [naive, aux, gblendOffline, gblendOnline].find((m) => m.name === name);
  if (found === undefined) {
    throw new MethodError(`unknown method '${name}' (use uni:<modality>, naive, aux, gblend-offline or gblend-online)`);
  }
  return found;
}
