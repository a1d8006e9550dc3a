/**
 * OGR and the Gradient-Blending weights (method.md sections 2-3). Pure arithmetic on the
 * per-head summaries that the trainer measures on T' and V at checkpoints N and N+n.
 */
import { CoreError } from './errors.js';
import type { Summary } from './stats.js';

/** What the summaries hold: per-example loss, or per-example 0/1 error for 'accuracy'. */
export type BlendMetric = 'loss' | 'accuracy';
/** 'abs': the paper's plain eps; 'se': max(eps, z * standard error of dO). */
export type FloorKind = 'abs' | 'se';
/**
 * When a head counts as generalizing: 'positive' (the paper) when dG > 0; 'significant' when dG is
 * above z standard errors of dG, so that with a small V a head whose loss moved by noise gets no weight.
 */
export type GainRule = 'positive' | 'significant';

/** Per-example summaries on T' (lt) and V (lv) at checkpoint N (0) and N+n (1). */
export interface HeadCheckpoints {
  lt0: Summary;
  lv0: Summary;
  lt1: Summary;
  lv1: Summary;
}

/** Everything method.md asks to log per head and estimate. */
export interface HeadEstimate {
  lt0: number;
  lv0: number;
  lt1: number;
  lv1: number;
  dG: number;
  dO: number;
  /** |dO / dG|; null when dG == 0 (the ratio is undefined). */
  ogr: number | null;
  floor: number;
  raw: number;
  w: number;
}

export interface BlendOptions {
  floor: FloorKind;
  /** Default 'positive'. */
  gain?: GainRule;
  eps: number;
  z: number;
}

export const DEFAULT_BLEND_OPTIONS: BlendOptions = { floor: 'se', eps: 1e-6, z: 1 };

export interface BlendResult {
  weights: Record<string, number>;
  heads: Record<string, HeadEstimate>;
  /** 'none': weights from this estimate; otherwise every dG <= 0 and this is what was used. */
  fallback: 'none' | 'previous' | 'uniform';
  note: string | null;
}

/** Below this a head's own-layer gradient is not scaled up further (blend: 'shared'). */
const MIN_SCALED_WEIGHT = 1e-3;

/**
 * Standard error of dO = (LV1 - LT1) - (LV0 - LT0), treating the four means as independent:
 * sqrt(sum of variance / count). The four sets overlap in examples across checkpoints, so this
 * is a scale for the noise, used only as a floor, not an exact interval.
 */
export function standardErrorOfDO(h: HeadCheckpoints): number {
  let sum = 0;
  for (const s of [h.lt0, h.lv0, h.lt1, h.lv1]) {
    if (!(s.count > 0)) throw new CoreError('bad_blend', `a summary has count ${s.count}; need at least 1`);
    sum += s.variance / s.count;
  }
  return Math.sqrt(sum);
}

function checkOptions(opts: BlendOptions): void {
  if (opts.floor !== 'abs' && opts.floor !== 'se') {
    throw new CoreError('bad_blend', `floor must be 'abs' or 'se', got ${String(opts.floor)}`);
  }
  if (!(opts.eps > 0) || !Number.isFinite(opts.eps)) {
    throw new CoreError('bad_blend', `eps must be a positive finite number, got ${opts.eps}`);
  }
  if (!(opts.z >= 0) || !Number.isFinite(opts.z)) {
    throw new CoreError('bad_blend', `z must be a non-negative finite number, got ${opts.z}`);
  }
}

/**
 * Standard error of dG = LV0 - LV1, treating the two means as independent. They are measured on the
 * same V examples, usually positively correlated, so this overstates the error: a conservative test.
 */
export function standardErrorOfDG(h: HeadCheckpoints): number {
  for (const s of [h.lv0, h.lv1]) if (!(s.count > 0)) throw new CoreError('bad_blend', `a summary has count ${s.count}; need at least 1`);
  return Math.sqrt(h.lv0.variance / h.lv0.count + h.lv1.variance / h.lv1.count);
}

/** One head's OGR terms and unnormalised weight dG / max(|dO|, floor)^2 (0 unless dG > 0, or above z SE with gain 'significant'). */
function estimateHead(h: HeadCheckpoints, opts: BlendOptions): HeadEstimate {
  const lt0 = h.lt0.mean;
  const lv0 = h.lv0.mean;
  const lt1 = h.lt1.mean;
  const lv1 = h.lv1.mean;
  const dG = lv0 - lv1;
  const dO = (lv1 - lt1) - (lv0 - lt0);
  const ogr = dG === 0 ? null : Math.abs(dO / dG);
  const floor = opts.floor === 'abs' ? opts.eps : Math.max(opts.eps, opts.z * standardErrorOfDO(h));
  // `!(dG > 0)` also zeroes NaN; a non-finite dO (diverged head) cannot be weighted either.
  const gainFloor = opts.gain === 'significant' ? opts.z * standardErrorOfDG(h) : 0;
  const usable = dG > 0 && dG > gainFloor && Number.isFinite(dG) && Number.isFinite(dO);
  const denom = Math.max(Math.abs(dO), floor);
  const raw = usable ? dG / (denom * denom) : 0;
  return { lt0, lv0, lt1, lv1, dG, dO, ogr, floor, raw, w: 0 };
}

function matchPrevious(names: string[], previous: Record<string, number>): Record<string, number> {
  const extra = Object.keys(previous).filter((n) => !names.includes(n));
  const missing = names.filter((n) => !(n in previous));
  if (extra.length > 0 || missing.length > 0) {
    throw new CoreError('bad_blend',
      `previous weights do not match the heads (missing: ${missing.join(', ') || 'none'}; ` +
      `unknown: ${extra.join(', ') || 'none'})`);
  }
  const out: Record<string, number> = {};
  for (const n of names) out[n] = previous[n]!;
  return out;
}

/**
 * w_i = raw_i / sum(raw), raw_i = dG_i / max(|dO_i|, floor_i)^2. When no head generalized (every
 * dG <= 0) the estimate carries no information: keep `previous` (online) or use uniform weights.
 * Head order follows the input object.
 */
export function estimateBlendWeights(
  heads: Record<string, HeadCheckpoints>,
  opts: BlendOptions,
  previous: Record<string, number> | null,
): BlendResult {
  checkOptions(opts);
  const names = Object.keys(heads);
  if (names.length === 0) throw new CoreError('bad_blend', 'no heads to blend');

  const estimates: Record<string, HeadEstimate> = {};
  let total = 0;
  for (const n of names) {
    const e = estimateHead(heads[n]!, opts);
    estimates[n] = e;
    total += e.raw;
  }
  const idle = names.filter((n) => estimates[n]!.raw === 0);

  if (total > 0 && Number.isFinite(total)) {
    const weights: Record<string, number> = {};
    for (const n of names) {
      const e = estimates[n]!;
      e.w = e.raw / total;
      weights[n] = e.w;
    }
    const note = idle.length === 0 ? null
      : `weight 0 for ${idle.join(', ')}: validation ${idle.length === 1 ? 'metric' : 'metrics'} did not improve ` +
        `(${opts.gain === 'significant' ? `dG not above ${opts.z} standard errors` : 'dG <= 0'}) or the measurements were not finite`;
    return { weights, heads: estimates, fallback: 'none', note };
  }

  const why = !Number.isFinite(total)
    ? 'the raw weights overflowed'
    : names.every((n) => estimates[n]!.dG <= 0)
      ? `no head generalized between the checkpoints (dG <= 0 for ${names.join(', ')})`
      : opts.gain === 'significant' && names.every((n) => estimates[n]!.raw === 0 && Number.isFinite(estimates[n]!.dO))
        ? `no head generalized by more than ${opts.z} standard errors of dG (${names.join(', ')})`
      : `no head has a usable estimate (dG <= 0 or non-finite measurements for ${names.join(', ')})`;
  if (previous) {
    const weights = matchPrevious(names, previous);
    for (const n of names) estimates[n]!.w = weights[n]!;
    return { weights, heads: estimates, fallback: 'previous', note: `${why}: keeping the previous weights` };
  }
  const weights: Record<string, number> = {};
  for (const n of names) {
    weights[n] = 1 / names.length;
    estimates[n]!.w = weights[n];
  }
  return {
    weights, heads: estimates, fallback: 'uniform',
    note: `${why}: using uniform weights 1/${names.length}`,
  };
}

/**
 * Factor for a head's own-layer gradients under blend 'shared': the blended loss scales them by w,
 * this undoes that so each head trains at full rate; capped at 1000 for w near 0.
 */
export function headGradientScale(w: number): number {
  if (!(w >= 0) || !Number.isFinite(w)) {
    throw new CoreError('bad_blend', `a blend weight must be a finite number >= 0, got ${w}`);
  }
  return 1 / Math.max(w, MIN_SCALED_WEIGHT);
}
