/**
 * Identity in the forward pass; multiplies the gradient by `scale` in the backward pass.
 * Placed between the encoders and a head, it makes the head's own layers see the head's
 * unweighted gradient while the encoders see `scale` times it: the 'shared' blend of method.md.
 */
import * as tf from '@tensorflow/tfjs-core';

export function scaleGradient(x: tf.Tensor, scale: number): tf.Tensor {
  const op = tf.customGrad(((input: tf.Tensor) => ({
    value: tf.clone(input),
    gradFunc: (dy: tf.Tensor) => tf.mul(dy, scale),
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as tf.Tensor;
}
