/** Running one fuzz case on a backend, and comparing what two backends did. */
import * as tf from '@tensorflow/tfjs-core';
import type { FuzzCase, FuzzInput } from './case.js';

export interface Output {
  dtype: string;
  shape: number[];
  values: number[];
}
export type Outcome = { error: string } | { outputs: Output[] };

function make(i: FuzzInput): tf.Tensor {
  return tf.tensor(i.dtype === 'bool' ? Uint8Array.from(i.values) : i.values, i.shape, i.dtype);
}

/** Runs the case's kernel directly (tfjs' ops would check some inputs first) on the current backend. */
export function run(c: FuzzCase): Outcome {
  try {
    return {
      outputs: tf.tidy(() => {
        const inputs = Array.isArray(c.inputs) ? c.inputs.map(make) : Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, make(v)]));
        const out = tf.engine().runKernel(c.kernel, inputs as unknown as tf.NamedTensorMap, c.attrs as tf.NamedAttrMap);
        return (Array.isArray(out) ? out : [out]).map((t: tf.Tensor) => ({ dtype: t.dtype, shape: t.shape, values: Array.from(t.dataSync() as ArrayLike<number>) }));
      }),
    };
  } catch (err) {
    return { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

function close(got: number, want: number, tol: number): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (!Number.isFinite(want)) return got === want;
  return Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
}

/** Why native's outputs differ from cpu's, or null where they agree. */
export function difference(got: Output[], want: Output[], tol: number): string | null {
  if (got.length !== want.length) return `${got.length} outputs, cpu ${want.length}`;
  for (let o = 0; o < want.length; o++) {
    const g = got[o]!, w = want[o]!;
    if (g.dtype !== w.dtype) return `output ${o}: dtype ${g.dtype}, cpu ${w.dtype}`;
    if (JSON.stringify(g.shape) !== JSON.stringify(w.shape)) return `output ${o}: shape ${JSON.stringify(g.shape)}, cpu ${JSON.stringify(w.shape)}`;
    const at = w.values.findIndex((v, i) => !close(g.values[i]!, v, w.dtype === 'float32' ? tol : 0));
    if (at >= 0) return `output ${o}: value ${g.values[at]} at ${at}, cpu ${w.values[at]}`;
  }
  return null;
}
