/**
 * The measured regions of the step breakdown, run inside `valgrind --tool=callgrind
 * --dump-before='*liveCount_entry*'`: just before and just after each region the script calls the
 * addon's liveCount, so callgrind starts a new profile part at each, and a region's part holds
 * exactly its instructions (what runs between regions, set-up and warm-up, lands in parts of its
 * own). Every region runs after a warm-up of the same work, so that V8 has compiled most of it, and
 * is repeated so that the report can take a median (a part can still hold a garbage collection or
 * a late compilation, which the report shows apart).
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadNativeAddon } from '../../src/engine/native/addon.js';
import { Binary } from '../../src/engine/native/codes.js';
import { nativeLiveTensors } from '../../src/engine/native/index.js';
import { evaluateHeads } from '../../src/train/evaluate.js';
import { SMALL } from '../workloads/small-setup.js';
import { smallStep, type SmallStep } from '../workloads/small-mlp-step.js';

export interface Region {
  /** What ran, e.g. 'step:fou+kar+fused' or 'micro:engine-add'. */
  label: string;
  /** How many units (steps, epoch evaluations, ops) it ran. */
  units: number;
}

/**
 * The part callgrind writes for region i (0-based). Part p runs from marker p-1 to marker p (part 1:
 * from the start); region i lies between markers 2i+1 and 2i+2.
 */
export const partOfRegion = (i: number): number => 2 * i + 2;

export const REGION_REPEATS = 5;

/** The models of small_run: small_mlp_step's three heads, naive's fused head, and the estimate's copies. */
export const MODEL_VARIANTS: readonly (readonly string[])[] = [['fou', 'kar', 'fused'], ['fused'], ['fou'], ['kar']];

/**
 * Region sizes and warm-ups. V8 needs about 1,500 steps before the step's JavaScript stops being
 * compiled (a step calls many functions once each: concat, split, Engine.gradients, gradient
 * functions), so the first model warms up that long; the other models run mostly the same code.
 */
const SIZES = { steps: 20, evals: 10, firstWarmSteps: 1600, warmSteps: 300, warmEvals: 100, micro: 4000, warmMicro: 30000 };

/** One epoch's evaluation as small_run does it: every head on T' (20 rows), then on V (20 rows). */
export async function epochEvaluation(s: SmallStep): Promise<void> {
  await evaluateHeads(s.model, s.data, s.data.splits.probe.slice(0, SMALL.sizes.probe));
  await evaluateHeads(s.model, s.data, s.data.splits.val.slice(0, SMALL.sizes.val));
}

async function epochEvaluations(s: SmallStep, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await epochEvaluation(s);
}

/** Labels to run: those starting with this prefix ('' runs them all). */
let only = '';
const wanted = (label: string): boolean => label.startsWith(only);

/** Runs `work(units)` REGION_REPEATS times, each a region of its own, after one warm-up of `warm` units. */
async function repeated(regions: Region[], label: string, units: number, warm: number, work: (n: number) => Promise<void> | void): Promise<void> {
  if (!wanted(label)) return;
  await work(warm);
  for (let r = 0; r < REGION_REPEATS; r++) {
    nativeLiveTensors();
    regions.push({ label, units });
    await work(units);
    nativeLiveTensors();
  }
}

/**
 * Per-op costs in isolation, on 1-element tensors so that the arithmetic is nothing: an op through the
 * engine (tf.add, then dispose); the same two addon calls made directly (binary, free); and a bare
 * Node-API crossing (the addon's threads(), which only reads a number).
 */
async function micro(regions: Region[]): Promise<void> {
  const loaded = loadNativeAddon();
  if (!loaded.ok) throw new Error(loaded.reason);
  const addon = loaded.addon;
  const a = tf.tensor1d([1]);
  const b = tf.tensor1d([2]);
  const ia = addon.write(new Float32Array([1]), 0, 0);
  const ib = addon.write(new Float32Array([2]), 0, 0);
  try {
    await repeated(regions, 'micro:engine-add', SIZES.micro, SIZES.warmMicro, (n) => {
      for (let i = 0; i < n; i++) tf.add(a, b).dispose();
    });
    await repeated(regions, 'micro:addon-add', SIZES.micro, SIZES.warmMicro, (n) => {
      for (let i = 0; i < n; i++) addon.free(addon.binary(Binary.Add, ia, ib));
    });
    await repeated(regions, 'micro:napi-crossing', SIZES.micro, SIZES.warmMicro, (n) => {
      for (let i = 0; i < n; i++) addon.threads();
    });
  } finally {
    tf.dispose([a, b]);
    addon.free(ia);
    addon.free(ib);
  }
}

/**
 * Every region (or those whose label starts with `prefix`), in order; the caller prints them so that
 * the parts can be matched to them.
 */
export async function runRegions(prefix = ''): Promise<Region[]> {
  only = prefix;
  const regions: Region[] = [];
  for (const [i, heads] of MODEL_VARIANTS.entries()) {
    const name = heads.join('+');
    if (!wanted(`step:${name}`) && !wanted(`eval:${name}`)) continue;
    const s = smallStep(heads);
    try {
      await repeated(regions, `step:${name}`, SIZES.steps, i === 0 ? SIZES.firstWarmSteps : SIZES.warmSteps, (n) => s.steps(n));
      await repeated(regions, `eval:${name}`, SIZES.evals, SIZES.warmEvals, (n) => epochEvaluations(s, n));
    } finally {
      s.dispose();
    }
  }
  await micro(regions);
  return regions;
}
