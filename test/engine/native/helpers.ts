/**
 * Native-backend test helpers: when to skip, and running one computation on the cpu
 * backend (the reference) and on native, checking the native side's bookkeeping.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../src/engine/index.js';
import { DTYPE_OF_CODE } from '../../../src/engine/native/codes.js';
import { NativeBackend, nativeLiveTensors, registerNativeBackend } from '../../../src/engine/native/index.js';
import { assertClose, seeded } from '../backends.js';

function libtorchInstalled(): boolean {
  try {
    execFileSync('dpkg', ['-s', 'libtorch-dev'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The skip option of every native test: a visible reason where the addon is not built,
 * false where it is. In CI with libtorch-dev installed the addon must be there: the
 * tests run and fail (initEngine throws ENGINE_NATIVE_UNAVAILABLE) instead of skipping.
 */
export function nativeSkip(): string | false {
  const status = registerNativeBackend();
  if (status.available) return false;
  if (process.env['CI'] === 'true' && libtorchInstalled()) return false;
  return `native backend unavailable: ${status.reason}`;
}

export interface TypedInput {
  shape: number[];
  values: Float32Array | Int32Array | Uint8Array;
  dtype: 'float32' | 'int32' | 'bool';
}

export function floats(shape: number[], seed: number, scale = 1): TypedInput {
  const values = seeded(shape.reduce((p, q) => p * q, 1), seed);
  if (scale !== 1) for (let i = 0; i < values.length; i++) values[i]! *= scale;
  return { shape, values, dtype: 'float32' };
}

export function ints(shape: number[], values: number[]): TypedInput {
  return { shape, values: Int32Array.from(values), dtype: 'int32' };
}

export function bools(shape: number[], values: number[]): TypedInput {
  return { shape, values: Uint8Array.from(values), dtype: 'bool' };
}

export interface Result {
  shape: number[];
  dtype: string;
  values: Float32Array;
}

/** The native id, dtype and shape the addon holds for a tensor match what tfjs holds. */
function checkNativeRecord(t: tf.Tensor): void {
  const backend = tf.backend() as NativeBackend;
  backend.addon.describe(backend.id(t));
  const io = backend.io;
  assert.equal(DTYPE_OF_CODE[io[0]!], t.dtype, 'native dtype');
  assert.deepEqual(Array.from(io.subarray(2, 2 + io[1]!)), t.shape, 'native shape');
}

/**
 * Runs `fn` on fresh tensors on `backend`; checks nothing leaks (tfjs buffers, native
 * tensors). On native, also returns the names of the kernels that ran.
 */
export async function runOn(backend: 'cpu' | 'native', inputs: TypedInput[], fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<{ results: Result[]; kernels: Set<string> }> {
  if (backend === 'native') await initEngine({ backend: 'native' });
  else await tf.setBackend('cpu');
  const buffers = tf.backend().numDataIds();
  const live = nativeLiveTensors();
  let results: Result[] = [];
  const profile = await tf.profile(() => {
    results = tf.tidy(() => {
      const xs = inputs.map((i) => tf.tensor(i.values, i.shape, i.dtype));
      const out = fn(...xs);
      const list = Array.isArray(out) ? out : [out];
      if (backend === 'native') list.forEach(checkNativeRecord);
      return list.map((t) => ({ shape: t.shape, dtype: t.dtype, values: Float32Array.from(t.dataSync() as ArrayLike<number>) }));
    });
  });
  assert.equal(tf.backend().numDataIds(), buffers, `${backend}: buffers leaked`);
  if (backend === 'native') assert.equal(nativeLiveTensors(), live, 'native tensors leaked');
  return { results, kernels: new Set(profile.kernels.map((k) => k.name)) };
}

/**
 * `fn` on cpu and native: same dtypes and shapes, values within `tol` relative to the
 * reference's largest magnitude (see assertClose).
 */
export async function compareNative(what: string, inputs: TypedInput[], fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[], tol = 1e-5): Promise<Set<string>> {
  const want = (await runOn('cpu', inputs, fn)).results;
  const { results: got, kernels } = await runOn('native', inputs, fn);
  assert.deepEqual(got.map((r) => r.dtype), want.map((r) => r.dtype), `${what}: dtypes`);
  assertClose(got, want, tol, what);
  return kernels;
}

/** One op-level equivalence case: the kernels it is there to test, and what to run. */
export interface OpCase {
  kernels: string[];
  name: string;
  inputs: TypedInput[];
  fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
  /** Relative tolerance (see assertClose); default 1e-5. */
  tol?: number;
}

/** Registers a test per case: cpu and native agree, and the case's kernels ran natively. */
export function testCases(cases: readonly OpCase[], skip: string | false): void {
  for (const c of cases) {
    test(`native ${c.kernels.join(', ')}: ${c.name}`, { skip }, async () => {
      const ran = await compareNative(c.name, c.inputs, c.fn, c.tol ?? 1e-5);
      for (const k of c.kernels) assert.ok(ran.has(k), `${c.name}: kernel ${k} did not run (ran: ${[...ran].join(', ')})`);
    });
  }
}

/**
 * `fn`'s value and its gradients with respect to every float input, through a seeded
 * weighting of the output (so each output element gets a different upstream gradient).
 */
export function withGrads(fn: (...xs: tf.Tensor[]) => tf.Tensor): (...xs: tf.Tensor[]) => tf.Tensor[] {
  return (...xs) => {
    const floatsAt = xs.map((x, i) => (x.dtype === 'float32' ? i : -1)).filter((i) => i >= 0);
    const loss = (...vs: tf.Tensor[]): tf.Tensor => {
      const all = xs.slice();
      floatsAt.forEach((at, j) => (all[at] = vs[j]!));
      const y = fn(...all);
      const w = tf.tensor(seeded(y.size, 99), y.shape);
      return tf.sum(tf.mul(y, w));
    };
    const grads = tf.grads(loss)(floatsAt.map((i) => xs[i]!));
    return [fn(...xs), ...grads];
  };
}
