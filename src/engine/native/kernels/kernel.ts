/** How a native kernel is declared: a name and a function of (inputs, attrs, backend). */
import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeBackend } from '../backend.js';

export type NativeKernelFunc = (inputs: NamedTensorInfoMap, attrs: NamedAttrMap, backend: NativeBackend) => TensorInfo | TensorInfo[];

export function kernel(kernelName: string, fn: NativeKernelFunc): KernelConfig {
  return {
    kernelName,
    backendName: 'native',
    kernelFunc: ({ inputs, attrs, backend }) => fn(inputs, attrs ?? {}, backend as NativeBackend),
  };
}

/** An input that tfjs always passes (its absence is a bug in the caller). */
export function input(inputs: NamedTensorInfoMap, name: string): TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`native kernel: missing input '${name}'`);
  return t;
}

/** Multi-input kernels (AddN, Concat, Pack) get an array in place of named inputs. */
export function inputList(inputs: NamedTensorInfoMap): TensorInfo[] {
  return inputs as unknown as TensorInfo[];
}

export function unsupported(kernelName: string, what: string): never {
  throw new Error(`native backend: ${kernelName} does not support ${what}`);
}
