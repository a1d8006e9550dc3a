import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  estimateBlendWeights, standardErrorOfDO, headGradientScale, DEFAULT_BLEND_OPTIONS, CoreError,
  type HeadCheckpoints, type BlendOptions,
} from '../../src/core/index.js';

/** Checkpoints from the four means, each with the same variance and count. */
function head(lt0: number, lv0: number, lt1: number, lv1: number, variance = 0, count = 100): HeadCheckpoints {
  const s = (mean: number) => ({ mean, variance, count });
  return { lt0: s(lt0), lv0: s(lv0), lt1: s(lt1), lv1: s(lv1) };
}

const ABS: BlendOptions = { floor: 'abs', eps: 1e-6, z: 1 };
const SE: BlendOptions = { floor: 'se', eps: 1e-6, z: 1 };
const isBadBlend = (e: unknown): boolean => e instanceof CoreError && e.code === 'bad_blend';
const close = (actual: number, expected: number, tol = 1e-12): void =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} != ${expected}`);

// Three heads, all numbers exact in binary (hand-worked):
//   a:     LT0 1, LV0 1.5,  LT1 0.5,  LV1 1.25  -> dG 0.25,  O0 0.5,  O1 0.75,  dO  0.25,  OGR 1,   raw 0.25/0.0625 = 4
//   b:     LT0 1, LV0 1.25, LT1 0.75, LV1 1.125 -> dG 0.125, O0 0.25, O1 0.375, dO  0.125, OGR 1,   raw 0.125/0.015625 = 8
//   fused: LT0 1, LV0 1.5,  LT1 0.5,  LV1 0.75  -> dG 0.75,  O0 0.5,  O1 0.25,  dO -0.25,  OGR 1/3, raw 0.75/0.0625 = 12
// sum 24 -> w = 4/24 = 1/6, 8/24 = 1/3, 12/24 = 1/2.
const THREE = {
  a: head(1, 1.5, 0.5, 1.25),
  b: head(1, 1.25, 0.75, 1.125),
  fused: head(1, 1.5, 0.5, 0.75),
};

test('three heads worked by hand', () => {
  const r = estimateBlendWeights(THREE, ABS, null);
  assert.deepEqual(r.weights, { a: 1 / 6, b: 1 / 3, fused: 1 / 2 });
  assert.equal(r.fallback, 'none');
  assert.equal(r.note, null);
  assert.deepEqual(r.heads.a, { lt0: 1, lv0: 1.5, lt1: 0.5, lv1: 1.25, dG: 0.25, dO: 0.25, ogr: 1, floor: 1e-6, raw: 4, w: 1 / 6 });
  assert.deepEqual(r.heads.b, { lt0: 1, lv0: 1.25, lt1: 0.75, lv1: 1.125, dG: 0.125, dO: 0.125, ogr: 1, floor: 1e-6, raw: 8, w: 1 / 3 });
  assert.deepEqual(r.heads.fused, { lt0: 1, lv0: 1.5, lt1: 0.5, lv1: 0.75, dG: 0.75, dO: -0.25, ogr: 1 / 3, floor: 1e-6, raw: 12, w: 1 / 2 });
  // Zero variance: the se floor is max(eps, 0) = eps, the same result.
  assert.deepEqual(estimateBlendWeights(THREE, SE, null), r);
});

test('head order of the input is kept', () => {
  const r = estimateBlendWeights({ fused: THREE.fused, b: THREE.b, a: THREE.a }, ABS, null);
  assert.deepEqual(Object.keys(r.weights), ['fused', 'b', 'a']);
  assert.deepEqual(Object.keys(r.heads), ['fused', 'b', 'a']);
});

test('a head with dG <= 0 gets weight 0 and is named in the note', () => {
  // b': LV rises 1.25 -> 1.5, dG = -0.25. Remaining raw: a 4, fused 12 -> 0.25, 0.75.
  const r = estimateBlendWeights({ a: THREE.a, b: head(1, 1.25, 0.75, 1.5), fused: THREE.fused }, ABS, null);
  assert.deepEqual(r.weights, { a: 0.25, b: 0, fused: 0.75 });
  assert.equal(r.heads.b!.dG, -0.25);
  assert.equal(r.heads.b!.raw, 0);
  assert.equal(r.fallback, 'none');
  assert.match(r.note ?? '', /\bb\b.*dG <= 0/);
  // dG exactly 0: OGR undefined (null), weight 0.
  const z = estimateBlendWeights({ a: THREE.a, flat: head(1, 1.25, 0.75, 1.25) }, ABS, null);
  assert.equal(z.heads.flat!.ogr, null);
  assert.deepEqual(z.weights, { a: 1, flat: 0 });
});

test('every dG <= 0: previous weights when given, else uniform', () => {
  const none = { x: head(1, 1.25, 0.75, 1.5), y: head(1, 1.25, 1, 1.25), fused: head(1, 1, 1, 1.5) };
  const prev = estimateBlendWeights(none, ABS, { x: 0.5, y: 0.25, fused: 0.25 });
  assert.deepEqual(prev.weights, { x: 0.5, y: 0.25, fused: 0.25 });
  assert.equal(prev.fallback, 'previous');
  assert.match(prev.note ?? '', /no head generalized.*previous/);
  assert.deepEqual([prev.heads.x!.w, prev.heads.y!.w, prev.heads.fused!.w], [0.5, 0.25, 0.25]);

  const uni = estimateBlendWeights(none, ABS, null);
  assert.deepEqual(uni.weights, { x: 1 / 3, y: 1 / 3, fused: 1 / 3 });
  assert.equal(uni.fallback, 'uniform');
  assert.match(uni.note ?? '', /uniform weights 1\/3/);

  // Previous weights for other heads are a caller bug, not a silent fallback.
  assert.throws(() => estimateBlendWeights(none, ABS, { x: 0.5, fused: 0.5 }), isBadBlend);
  assert.throws(() => estimateBlendWeights(none, ABS, { x: 0.5, y: 0.25, fused: 0.125, z: 0.125 }), isBadBlend);
});

test('exact-zero dO: abs floor gives an almost-all weight, se floor bounds it', () => {
  // a: LT0 1, LV0 1.5, LT1 0.5, LV1 1 -> dG 0.5, O0 0.5, O1 0.5, dO 0 exactly.
  //    Variances 0.25 over 100 examples: se = sqrt(4 * 0.25/100) = sqrt(0.01) = 0.1.
  // fused: as in the three-head case (dG 0.75, dO -0.25, raw 12) with variance 0.01 over 100:
  //    se = sqrt(4 * 0.0001) = 0.02 < 0.25, so its floor never bites.
  const heads = { a: head(1, 1.5, 0.5, 1, 0.25), fused: head(1, 1.5, 0.5, 0.75, 0.01) };

  // abs: raw_a = 0.5 / (1e-6)^2 = 5e11; w_a = 5e11 / (5e11 + 12).
  const abs = estimateBlendWeights(heads, ABS, null);
  assert.equal(abs.heads.a!.dO, 0);
  assert.equal(abs.heads.a!.ogr, 0);
  close(abs.heads.a!.raw, 5e11, 1e-9);
  close(abs.weights.a!, 5e11 / (5e11 + 12), 1e-9);
  close(abs.weights.fused!, 12 / (5e11 + 12), 1e-6);

  // se, z = 1: floor_a 0.1, raw_a 0.5 / 0.01 = 50; w = 50/62 = 25/31, 12/62 = 6/31.
  const se = estimateBlendWeights(heads, SE, null);
  close(se.heads.a!.floor, 0.1);
  close(se.heads.fused!.floor, 0.02);
  close(se.heads.a!.raw, 50);
  assert.equal(se.heads.fused!.raw, 12);
  close(se.weights.a!, 25 / 31);
  close(se.weights.fused!, 6 / 31);

  // se, z = 2: floor_a 0.2, raw_a 0.5 / 0.04 = 12.5; w = 12.5/24.5 = 25/49, 12/24.5 = 24/49.
  const se2 = estimateBlendWeights(heads, { floor: 'se', eps: 1e-6, z: 2 }, null);
  close(se2.weights.a!, 25 / 49);
  close(se2.weights.fused!, 24 / 49);

  // se with z = 0 is the abs floor again.
  assert.deepEqual(estimateBlendWeights(heads, { floor: 'se', eps: 1e-6, z: 0 }, null).weights, abs.weights);
});

test('weights sum to 1', () => {
  const heads = {
    a: head(2.3, 2.9, 1.7, 2.41, 0.3, 37),
    b: head(1.1, 1.4, 0.93, 1.31, 0.2, 37),
    c: head(0.8, 1.9, 0.2, 1.2, 0.5, 37),
    d: head(0.5, 0.6, 0.45, 0.7, 0.1, 37),
    fused: head(2.0, 2.2, 1.1, 1.6, 0.4, 37),
  };
  for (const opts of [ABS, SE, DEFAULT_BLEND_OPTIONS]) {
    const w = Object.values(estimateBlendWeights(heads, opts, null).weights);
    close(w.reduce((s, x) => s + x, 0), 1, 1e-12);
    assert.ok(w.every((x) => x >= 0));
  }
});

test('a head with non-finite measurements gets weight 0', () => {
  const r = estimateBlendWeights({ a: THREE.a, broken: head(1, 1.5, Number.NaN, 1) }, ABS, null);
  assert.deepEqual(r.weights, { a: 1, broken: 0 });
  assert.match(r.note ?? '', /broken/);
});

test('accuracy metric: 0/1 error summaries and their se floor', () => {
  // T' errors N: [1,1,0,0] mean .5 var .25; V N: [1,1,1,0] .75 var .1875;
  // T' N+n: [0,0,0,1] .25 var .1875;     V N+n: [1,0,0,1] .5 var .25  (4 examples each).
  // dG = .25, dO = (.5 - .25) - (.75 - .5) = 0; se = sqrt((.25+.1875+.1875+.25)/4) = sqrt(.21875).
  // raw = .25 / .21875 = 8/7.
  const h: HeadCheckpoints = {
    lt0: { mean: 0.5, variance: 0.25, count: 4 },
    lv0: { mean: 0.75, variance: 0.1875, count: 4 },
    lt1: { mean: 0.25, variance: 0.1875, count: 4 },
    lv1: { mean: 0.5, variance: 0.25, count: 4 },
  };
  close(standardErrorOfDO(h) ** 2, 0.21875);
  const r = estimateBlendWeights({ fused: h }, SE, null);
  close(r.heads.fused!.raw, 8 / 7);
  assert.deepEqual(r.weights, { fused: 1 });
});

test('standardErrorOfDO by hand', () => {
  // 2/100 + 0.45/20 + 0.1/10 + 0.5/50 = 0.02 + 0.0225 + 0.01 + 0.01 = 0.0625 -> 0.25.
  const h: HeadCheckpoints = {
    lt0: { mean: 1, variance: 2, count: 100 },
    lv0: { mean: 1, variance: 0.45, count: 20 },
    lt1: { mean: 1, variance: 0.1, count: 10 },
    lv1: { mean: 1, variance: 0.5, count: 50 },
  };
  close(standardErrorOfDO(h), 0.25);
  assert.equal(standardErrorOfDO(head(1, 2, 3, 4)), 0);
  assert.throws(() => standardErrorOfDO(head(1, 1, 1, 1, 0.1, 0)), isBadBlend);
});

test('defaults and option validation', () => {
  assert.deepEqual(DEFAULT_BLEND_OPTIONS, { floor: 'se', eps: 1e-6, z: 1 });
  assert.throws(() => estimateBlendWeights(THREE, { floor: 'abs', eps: 0, z: 1 }, null), isBadBlend);
  assert.throws(() => estimateBlendWeights(THREE, { floor: 'se', eps: 1e-6, z: -1 }, null), isBadBlend);
  assert.throws(() => estimateBlendWeights(THREE, { floor: 'x' as 'abs', eps: 1e-6, z: 1 }, null), isBadBlend);
  assert.throws(() => estimateBlendWeights({}, ABS, null), isBadBlend);
});

test('headGradientScale = 1 / max(w, 1e-3)', () => {
  assert.equal(headGradientScale(1), 1);
  assert.equal(headGradientScale(0.5), 2);
  assert.equal(headGradientScale(0.25), 4);
  assert.equal(headGradientScale(1e-3), 1000);
  assert.equal(headGradientScale(1e-5), 1000);
  assert.equal(headGradientScale(0), 1000);
  assert.throws(() => headGradientScale(-0.1), isBadBlend);
  assert.throws(() => headGradientScale(Number.NaN), isBadBlend);
});

test("gain 'significant': a head whose dG is within z standard errors gets no weight; 'positive' keeps it", async () => {
  const { estimateBlendWeights, standardErrorOfDG } = await import('../../src/core/blend.js');
  const s = (mean: number, variance: number, count = 25) => ({ mean, variance, count });
  // a: dG = 0.5 with SE sqrt(1/25 + 1/25) = 0.283 -> significant at z 1. b: dG = 0.1 < 0.283 -> not.
  const heads = {
    a: { lt0: s(2, 1), lv0: s(2.2, 1), lt1: s(1, 1), lv1: s(1.7, 1) },
    b: { lt0: s(2, 1), lv0: s(2.1, 1), lt1: s(1.5, 1), lv1: s(2.0, 1) },
  };
  assert.ok(Math.abs(standardErrorOfDG(heads.a) - Math.sqrt(2 / 25)) < 1e-12);
  const positive = estimateBlendWeights(heads, { floor: 'abs', eps: 1e-6, z: 1 }, null);
  assert.ok(positive.weights.b! > 0);
  const significant = estimateBlendWeights(heads, { floor: 'abs', gain: 'significant', eps: 1e-6, z: 1 }, null);
  assert.deepEqual(significant.weights, { a: 1, b: 0 });
  assert.match(significant.note!, /weight 0 for b: .*dG not above 1 standard errors/);
  // Neither significant: the estimate carries no information, as when every dG <= 0.
  const weak = { a: heads.b, b: heads.b };
  const none = estimateBlendWeights(weak, { floor: 'abs', gain: 'significant', eps: 1e-6, z: 1 }, { a: 0.3, b: 0.7 });
  assert.equal(none.fallback, 'previous');
  assert.match(none.note!, /no head generalized by more than 1 standard errors of dG/);
});
