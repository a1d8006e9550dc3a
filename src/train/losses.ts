/** Cross-entropy per example: the unit every loss, log and OGR measurement is built from. */
import * as tf from '@tensorflow/tfjs-core';

export function perExampleCrossEntropy(logits: tf.Tensor, oneHot: tf.Tensor): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
}

export function meanCrossEntropy(logits: tf.Tensor, oneHot: tf.Tensor): tf.Scalar {
  return tf.mean(perExampleCrossEntropy(logits, oneHot)) as tf.Scalar;
}
