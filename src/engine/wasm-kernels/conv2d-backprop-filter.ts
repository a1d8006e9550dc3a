/**
 * Conv2DBackpropFilter for wasm: stock tfjs-backend-wasm 4.22 has none, so training
 * any conv net on wasm throws. The filter gradient is one matrix product per chunk
 * of images, colsT [K, P] · dy [P, O], on the XNNPACK path (see conv-geometry.ts).
 */
import { Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { EngineError } from '../errors.js';
import { allocF32, alias, copySlice, f32View, release } from './heap.js';
import { convGeometry, im2colTransposed, imagesPerChunk, MAX_PATCH_FLOATS, tapCount } from './conv-geometry.js';
import { matMulNN } from './matmul-nn.js';

function conv2DBackpropFilter({ inputs, backend, attrs }: { inputs: Record<string, TensorInfo | undefined>; backend: object; attrs?: NamedAttrMap }): TensorInfo {
  const wasm = backend as BackendWasm;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const x = inputs['x'] as TensorInfo;
  const dy = inputs['dy'] as TensorInfo;
  if (dataFormat === 'NCHW') throw new EngineError('ENGINE_UNSUPPORTED', 'wasm Conv2DBackpropFilter supports NHWC (channelsLast) only');
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new EngineError('ENGINE_UNSUPPORTED', 'wasm Conv2DBackpropFilter supports float32 only');

  const g = convGeometry(x.shape as [number, number, number, number], filterShape, strides, pad, dimRoundingMode);
  const taps = tapCount(g);
  const perImage = g.outH * g.outW;
  const chunk = imagesPerChunk(g, MAX_PATCH_FLOATS);
  const whole = chunk >= g.batch;
  const sum = whole ? null : new Float32Array(taps * g.outC);
  let result: TensorInfo | null = null;

  for (let n0 = 0; n0 < g.batch; n0 += chunk) {
    const n1 = Math.min(g.batch, n0 + chunk);
    const positions = (n1 - n0) * perImage;
    const cols = allocF32(wasm, [1, taps, positions]);
    const dyChunk = whole
      ? alias(dy, [1, positions, g.outC])
      : copySlice(wasm, dy, n0 * perImage * g.outC, positions * g.outC, [1, positions, g.outC]);
    im2colTransposed(f32View(wasm, x), g, n0, n1, f32View(wasm, cols));
    const prod = matMulNN(wasm, cols, dyChunk, taps, positions, g.outC);
    release(wasm, cols);
    if (!whole) release(wasm, dyChunk);
    if (sum === null) {
      result = prod;
    } else {
      const part = f32View(wasm, prod);
      for (let i = 0; i < sum.length; i++) sum[i] += part[i] as number;
      release(wasm, prod);
    }
  }
  if (sum !== null) {
    result = allocF32(wasm, filterShape);
    f32View(wasm, result).set(sum);
  }
  return { dataId: (result as TensorInfo).dataId, shape: [...filterShape], dtype: 'float32' };
}

export const conv2DBackpropFilterConfig: Omit<KernelConfig, 'setupFunc' | 'disposeFunc'> = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
