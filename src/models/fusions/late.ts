/**
 * Late concatenation, the paper's naive fusion: z = [φ_1, ..., φ_k], read by the fused head
 * (dense + ReLU, then the classes). Its one layer keeps the name it had before fusions were
 * modules, 'fuse_concat', so saved models and numbers from then stay the same.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { merge, type Flow, type Fusion } from './fusion.js';

export function lateFusion(): Fusion {
  const concat = tfl.layers.concatenate({ name: 'fuse_concat' });
  return {
    name: 'late',
    layers: [concat],
    trainable: false,
    headHidden: true,
    apply: <T extends Flow>(features: T[]): T => merge(concat, features),
  };
}
