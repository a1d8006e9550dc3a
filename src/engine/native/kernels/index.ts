/** Every kernel of the native backend. */
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { mathKernels } from './math.js';
import { nnKernels } from './nn.js';
import { shapeKernels } from './shape.js';

export const NATIVE_KERNELS: readonly KernelConfig[] = [...mathKernels, ...shapeKernels, ...nnKernels];
