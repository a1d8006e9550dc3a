/**
 * Counting wrappers for the step breakdown (docs/small-models.md): what one training step asks of
 * the tfjs engine, of the native backend and of the addon, by phase. Installed once, on the engine
 * instance, the native kernels' configs and the addon's exports; they only count and call through.
 * Not for timing: they cost a little per call themselves.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadNativeAddon } from '../../src/engine/native/addon.js';
import { NATIVE_BACKEND } from '../../src/engine/native/index.js';
import { MultiHeadModel } from '../../src/models/multihead-model.js';
import type { Optimizer } from '../../src/train/optimizer.js';

/**
 * Where a step is: gathering its batch (and everything before its gradient), the forward pass inside
 * the gradient function, the backward pass, reading the loss back, the optimizer; or evaluation.
 */
export const PHASES = ['batch', 'forward', 'backward', 'readback', 'optimizer', 'eval'] as const;
export type Phase = (typeof PHASES)[number];

type Tally = Record<string, number>;

export interface Counts {
  /** Backend kernel calls (KernelConfig.kernelFunc), per phase, by kernel name. */
  kernels: Record<Phase, Tally>;
  /** engine.runKernelFunc calls per phase: every kernel plus customGrad ops, nested ones included. */
  engineOps: Record<Phase, number>;
  /** Calls into the native addon (each one Node-API crossing), per phase, by function. */
  addon: Record<Phase, Tally>;
  /** Tensor objects the engine starts tracking (results, clones, variables' reads). */
  tensors: number;
  /** Tensors whose values come from JavaScript (backend write): the batch's row indices, scalars. */
  uploads: number;
  /** Engine scopes opened (tidy, and the engine's own). */
  scopes: number;
  /** Nodes recorded on the gradient tape. */
  tapeNodes: number;
  /** MultiHeadModel.forward calls by mode. */
  forwards: { training: number; inference: number };
}

function empty(): Counts {
  const perPhase = <T>(make: () => T): Record<Phase, T> => Object.fromEntries(PHASES.map((p) => [p, make()])) as Record<Phase, T>;
  return { kernels: perPhase(() => ({})), engineOps: perPhase(() => 0), addon: perPhase(() => ({})), tensors: 0, uploads: 0, scopes: 0, tapeNodes: 0, forwards: { training: 0, inference: 0 } };
}

let counts = empty();
let phase: Phase = 'batch';
let installed = false;

const bump = (t: Tally, k: string): void => void (t[k] = (t[k] ?? 0) + 1);

/** The engine's methods the wrappers replace (private or untyped in tfjs' declarations). */
interface EngineInternals {
  runKernelFunc(params: unknown): unknown;
  gradients(f: () => tf.Tensor, xs: tf.Tensor[], dy?: tf.Tensor, allowNoGradients?: boolean): unknown;
  trackTensor(t: tf.Tensor, backend: unknown): void;
  startScope(name?: string): void;
  addTapeNode(...args: unknown[]): void;
}

function wrap<T extends object, K extends keyof T>(obj: T, key: K, make: (orig: T[K]) => T[K]): void {
  const orig = (obj[key] as unknown as (...a: unknown[]) => unknown).bind(obj) as T[K];
  obj[key] = make(orig);
}

/** Installs the wrappers (once); the native backend must be active. */
export function installCounters(): void {
  if (installed) return;
  if (tf.getBackend() !== NATIVE_BACKEND) throw new Error(`the breakdown counts the native backend, not ${tf.getBackend()}`);
  installed = true;
  const engine = tf.engine() as unknown as EngineInternals;
  wrap(engine, 'runKernelFunc', (orig) => (params) => {
    counts.engineOps[phase]++;
    return orig(params);
  });
  // variableGrads runs the loss function, then the backward pass, inside engine.gradients.
  wrap(engine, 'gradients', (orig) => (f, xs, dy, allow) => {
    phase = 'forward';
    const out = orig(() => {
      const y = f();
      phase = 'backward';
      return y;
    }, xs, dy, allow);
    phase = 'readback';
    return out;
  });
  wrap(engine, 'trackTensor', (orig) => (t, backend) => {
    counts.tensors++;
    orig(t, backend);
  });
  wrap(engine, 'startScope', (orig) => (name) => {
    counts.scopes++;
    orig(name);
  });
  wrap(engine, 'addTapeNode', (orig) => (...args) => {
    counts.tapeNodes++;
    orig(...args);
  });
  for (const k of tf.getKernelsForBackend(NATIVE_BACKEND)) {
    const config = k as { kernelName: string; kernelFunc: tf.KernelFunc };
    const inner = config.kernelFunc;
    config.kernelFunc = (args) => {
      bump(counts.kernels[phase], config.kernelName);
      return inner(args);
    };
  }
  const loaded = loadNativeAddon();
  if (!loaded.ok) throw new Error(loaded.reason);
  const addon = loaded.addon as unknown as Record<string, unknown>;
  for (const [name, fn] of Object.entries(addon)) {
    if (typeof fn !== 'function') continue;
    addon[name] = (...args: unknown[]): unknown => {
      bump(counts.addon[phase], name);
      if (name === 'write') counts.uploads++;
      return (fn as (...a: unknown[]) => unknown)(...args);
    };
  }
  // Training steps and evaluation passes of a whole run: one forward pass each.
  const forward = MultiHeadModel.prototype.forward;
  MultiHeadModel.prototype.forward = function countedForward(this: MultiHeadModel, inputs, opts) {
    counts.forwards[opts.training ? 'training' : 'inference']++;
    return forward.call(this, inputs, opts);
  };
}

/** Marks the optimizer's calls (the loop's last phase of a step; what follows is the next batch). */
export function countOptimizer(optimizer: Optimizer): void {
  wrap(optimizer, 'apply', (orig) => (grads, variables) => {
    phase = 'optimizer';
    orig(grads, variables);
    phase = 'batch';
  });
}

/** Starts counting afresh, in phase `at`. */
export function resetCounts(at: Phase = 'batch'): void {
  counts = empty();
  phase = at;
}

export function setPhase(p: Phase): void {
  phase = p;
}

export function currentCounts(): Counts {
  return counts;
}
