/**
 * A whole training step, or an inference pass, of a multi-head MLP as one addon call
 * (native/src/mlp_step.cc, which documents the plan's layout and arithmetic). This side writes the
 * plan (the ids of the data, labels and weights, and the step's coefficients) to the io buffer and
 * puts back what the addon could not update in place; the addon checks every number it reads.
 */
import * as tf from '@tensorflow/tfjs-core';
import { activeNativeBackend, type NativeBackend } from './backend.js';
import type { FusedOptimizer } from './fused-optimizer.js';

export interface NativeDense {
  kernel: tf.Variable;
  bias: tf.Variable;
  relu: boolean;
}

/** Dropout at one point of the model, its mask drawn as tf.dropout draws it from `seed`. */
export interface NativeDropout {
  rate: number;
  seed: number;
}

export interface NativeMlpCall {
  /** One-hot labels of every row, [N, classes]. */
  labels: tf.Tensor;
  /** Per encoder: every row of its modality ([N, ...]), its layers, and the dropout after each layer (none when absent). */
  encoders: { data: tf.Tensor; layers: NativeDense[]; dropouts?: (NativeDropout | null)[] }[];
  /**
   * Per head: its input (an encoder's index, or -1: all concatenated), the dropout on that input,
   * its layers, loss coefficient and gradient scale.
   */
  heads: { source: number; inputDropout?: NativeDropout | null; layers: NativeDense[]; coef: number; gradScale: number }[];
  /** The rows of the batch. */
  rows: ArrayLike<number>;
}

const PLAN_VERSION = 2;

function nativeBackend(): NativeBackend {
  return activeNativeBackend('native MLP step');
}

/**
 * The plan's numbers. Gathered before anything is written to io: b.id may first move a tensor's data
 * to native, and that call uses io itself.
 */
function planOf(b: NativeBackend, call: NativeMlpCall): number[] {
  const out: number[] = [];
  const put = (v: number): void => void out.push(v);
  const putDropout = (d: NativeDropout | null | undefined): void => {
    put(d?.rate ?? 0);
    put(d?.seed ?? 0);
  };
  const putChain = (input: NativeDropout | null | undefined, layers: NativeDense[], dropouts: (NativeDropout | null)[] = []): void => {
    putDropout(input);
    put(layers.length);
    layers.forEach((l, i) => {
      put(b.id(l.kernel));
      put(b.id(l.bias));
      put(l.relu ? 1 : 0);
      putDropout(dropouts[i]);
    });
  };
  put(PLAN_VERSION);
  put(call.encoders.length);
  put(call.heads.length);
  put(b.id(call.labels));
  put(call.rows.length);
  for (const e of call.encoders) {
    put(b.id(e.data));
    putChain(null, e.layers, e.dropouts);
  }
  for (const h of call.heads) {
    put(h.source);
    putChain(h.inputDropout, h.layers);
    put(h.coef);
    put(h.gradScale);
  }
  for (let i = 0; i < call.rows.length; i++) put(call.rows[i]!);
  return out;
}

/** Writes `words` to io from 0; returns their count. */
function writeIo(b: NativeBackend, words: number[]): number {
  if (words.length > b.io.length) throw new Error(`native MLP step: a plan of ${words.length} numbers does not fit the io buffer (a batch of that many rows?)`);
  b.io.set(words);
  return words.length;
}

/** The step's variables in the addon's order: every layer's kernel then bias, encoders first. */
function variablesOf(call: NativeMlpCall): tf.Variable[] {
  return [...call.encoders, ...call.heads].flatMap((c) => c.layers.flatMap((l) => [l.kernel, l.bias]));
}

/**
 * One training step: forward, the blended loss's gradient and `optimizer`'s update of every weight.
 * Returns the loss; when it is not finite, nothing was updated.
 */
export function nativeMlpStep(call: NativeMlpCall, optimizer: FusedOptimizer): number {
  const b = nativeBackend();
  const words = planOf(b, call);
  const variables = variablesOf(call);
  words.push(optimizer.kind === 'adam' ? 1 : 0);
  for (const v of variables) {
    for (const s of optimizer.slotsOf(v)) words.push(b.id(s));
    // planOf's b.id moved the data to native, so the count read here is native's own.
    words.push(b.refCount(v.dataId) > 1 ? 1 : 0);
  }
  const io = b.io;
  const loss = b.addon.mlpStep(writeIo(b, words), ...optimizer.stepArguments());
  if (!Number.isFinite(loss)) return loss;
  optimizer.stepped();
  const fresh = io[0]!;
  // Read every record before assigning: assign may call into the addon, which reuses io.
  const assigned: [tf.Variable, number][] = [];
  for (let i = 0; i < fresh; i++) assigned.push([variables[io[1 + 2 * i]!]!, io[2 + 2 * i]!]);
  for (const [v, id] of assigned) {
    const t = tf.engine().makeTensorFromTensorInfo(b.adopt(id, v.shape, 'float32'), b);
    v.assign(t);
    t.dispose();
  }
  return loss;
}

/**
 * Every head on `call.rows` in inference mode: per head and row [loss, correct (1 or 0), logits...],
 * as one Float32Array of heads x rows x (2 + classes when `withLogits`).
 */
export function nativeMlpEval(call: NativeMlpCall, withLogits: boolean): Float32Array {
  const b = nativeBackend();
  const id = b.addon.mlpEval(writeIo(b, planOf(b, call)), withLogits);
  try {
    return b.addon.read(id) as Float32Array;
  } finally {
    b.addon.free(id);
  }
}
