/** The fusion modules by name (the names themselves are data in ./names.ts). */
import type { Fusion, FusionContext } from './fusion.js';
import { lateFusion } from './late.js';
import { lmfFusion } from './lmf.js';
import { midFusion } from './mid.js';
import type { FusionName } from './names.js';
import { nlFusion } from './nl.js';
import { seFusion } from './se.js';

const BUILDERS: Record<FusionName, (ctx: FusionContext) => Fusion> = {
  late: lateFusion,
  mid: midFusion,
  se: seFusion,
  nl: nlFusion,
  lmf: lmfFusion,
};

export function buildFusion(name: FusionName, ctx: FusionContext): Fusion {
  return BUILDERS[name](ctx);
}

export { FUSIONS, FUSION_NAMES, type FusionName } from './names.js';
export { applyLayer, type Flow, type Fusion, type FusionTaps } from './fusion.js';
