/**
 * Matrix products, convolutions and pooling with their backprop kernels. Geometry
 * (output sizes, 'same' pads) comes from tfjs' own helpers, so it is tfjs' by
 * definition; the addon checks that libtorch's output sizes agree.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend_util, type KernelConfig, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeBackend } from '../backend.js';
import { Activation, NONE } from '../codes.js';
import { input, kernel, unsupported } from './kernel.js';

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

const ACTIVATIONS: Record<string, Activation> = {
  linear: Activation.Linear,
  relu: Activation.Relu,
  relu6: Activation.Relu6,
  elu: Activation.Elu,
  leakyrelu: Activation.LeakyRelu,
  prelu: Activation.Prelu,
  sigmoid: Activation.Sigmoid,
};

function activation(name: string, attrs: NamedAttrMap): Activation {
  const act = (attrs['activation'] as string | undefined) ?? 'linear';
  const code = ACTIVATIONS[act];
  return code ?? unsupported(name, `activation '${act}'`);
}

function optionalId(b: NativeBackend, t: TensorInfo | undefined): number {
  return t === undefined ? NONE : b.id(t);
}

function requireNHWC(name: string, attrs: NamedAttrMap): void {
  if ((attrs['dataFormat'] ?? 'NHWC') !== 'NHWC') unsupported(name, `dataFormat ${String(attrs['dataFormat'])}`);
}

function convInfo(name: string, xShape: number[], filterShape: number[], attrs: NamedAttrMap, dilations: number | [number, number]): backend_util.Conv2DInfo {
  requireNHWC(name, attrs);
  return backend_util.computeConv2DInfo(xShape as Shape4, filterShape as Shape4, attrs['strides'] as number | [number, number],
    dilations, attrs['pad'] as Pad, attrs['dimRoundingMode'] as Rounding, false, 'channelsLast');
}

function poolInfo(xShape: number[], attrs: NamedAttrMap): backend_util.Conv2DInfo {
  return backend_util.computePool2DInfo(xShape as Shape4, attrs['filterSize'] as number | [number, number],
    attrs['strides'] as number | [number, number], 1, attrs['pad'] as Pad, attrs['dimRoundingMode'] as Rounding);
}

function matMul(name: string): KernelConfig {
  return kernel(name, (inputs, attrs, b) => b.output(b.addon.matmul(
    b.id(input(inputs, 'a')), b.id(input(inputs, 'b')), attrs['transposeA'] === true, attrs['transposeB'] === true,
    optionalId(b, inputs['bias']), activation(name, attrs), (attrs['leakyreluAlpha'] as number | undefined) ?? 0,
    optionalId(b, inputs['preluActivationWeights']))));
}

function conv2d(name: string): KernelConfig {
  return kernel(name, (inputs, attrs, b) => {
    const x = input(inputs, 'x');
    const filter = input(inputs, 'filter');
    const info = convInfo(name, x.shape, filter.shape, attrs, attrs['dilations'] as number | [number, number]);
    const p = info.padInfo;
    return b.output(b.addon.conv2d(b.id(x), b.id(filter), optionalId(b, inputs['bias']),
      info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, p.top, p.bottom, p.left, p.right,
      info.outHeight, info.outWidth, activation(name, attrs), (attrs['leakyreluAlpha'] as number | undefined) ?? 0,
      optionalId(b, inputs['preluActivationWeights'])));
  });
}

type PoolCall = (x: number, fh: number, fw: number, sh: number, sw: number, t: number, bo: number, l: number, r: number, oh: number, ow: number) => number;
type PoolGradCall = (dy: number, x: number, fh: number, fw: number, sh: number, sw: number, t: number, bo: number, l: number, r: number) => number;

function pool(name: string, call: (b: NativeBackend) => PoolCall): KernelConfig {
  return kernel(name, (inputs, attrs, b) => {
    const x = input(inputs, 'x');
    const info = poolInfo(x.shape, attrs);
    const p = info.padInfo;
    return b.output(call(b)(b.id(x), info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
      p.top, p.bottom, p.left, p.right, info.outHeight, info.outWidth));
  });
}

function poolGrad(name: string, call: (b: NativeBackend) => PoolGradCall): KernelConfig {
  return kernel(name, (inputs: NamedTensorInfoMap, attrs, b) => {
    const x = input(inputs, 'input');
    const info = poolInfo(x.shape, attrs);
    const p = info.padInfo;
    return b.output(call(b)(b.id(input(inputs, 'dy')), b.id(x), info.filterHeight, info.filterWidth,
      info.strideHeight, info.strideWidth, p.top, p.bottom, p.left, p.right));
  });
}

export const nnKernels: KernelConfig[] = [
  matMul(tf.BatchMatMul),
  matMul(tf._FusedMatMul),
  conv2d(tf.Conv2D),
  conv2d(tf.FusedConv2D),
  kernel(tf.Conv2DBackpropInput, (inputs, attrs, b) => {
    const dy = input(inputs, 'dy');
    const filter = input(inputs, 'filter');
    const shape = attrs['inputShape'] as Shape4;
    const info = convInfo(tf.Conv2DBackpropInput, shape, filter.shape, attrs, 1);
    const p = info.padInfo;
    return b.output(b.addon.conv2dBackpropInput(b.id(dy), b.id(filter), shape[0], shape[1], shape[2], shape[3],
      info.strideHeight, info.strideWidth, p.top, p.bottom, p.left, p.right));
  }),
  kernel(tf.Conv2DBackpropFilter, (inputs, attrs, b) => {
    const x = input(inputs, 'x');
    const dy = input(inputs, 'dy');
    const shape = attrs['filterShape'] as Shape4;
    const info = convInfo(tf.Conv2DBackpropFilter, x.shape, shape, attrs, 1);
    const p = info.padInfo;
    return b.output(b.addon.conv2dBackpropFilter(b.id(x), b.id(dy), shape[0], shape[1],
      info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, p.top, p.bottom, p.left, p.right, shape[2], shape[3]));
  }),
  pool(tf.MaxPool, (b) => b.addon.maxPool),
  poolGrad(tf.MaxPoolGrad, (b) => b.addon.maxPoolGrad),
  pool(tf.AvgPool, (b) => b.addon.avgPool),
  poolGrad(tf.AvgPoolGrad, (b) => b.addon.avgPoolGrad),
];
