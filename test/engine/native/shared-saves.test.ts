/**
 * Saved tensors as shares (src/engine/native/shared-saves.ts): a step's gradients are bit for bit
 * those of tfjs' own clone path, with no Identity op left in the forward pass, nothing leaks, and a
 * gradient of a gradient (where tfjs' clone still runs) stays right.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../src/engine/index.js';
import { nativeLiveTensors } from '../../../src/engine/native/index.js';
import { blendedLoss } from '../../../src/train/blended-loss.js';
import { EVERY_HEAD, twoModalityStep } from '../../helpers/two-modality-step.js';
import { nativeSkip } from './helpers.js';

const skip = nativeSkip();

type Clone = (x: tf.Tensor) => tf.Tensor;

/** Runs `f` with tfjs' own engine.clone (the prototype's), then puts the shared one back. */
function withTfjsClone<T>(f: () => T): T {
  const e = tf.engine() as unknown as { clone: Clone };
  const shared = Object.getOwnPropertyDescriptor(e, 'clone');
  assert.ok(shared !== undefined, 'the native backend installs its clone on the engine');
  delete (e as Partial<typeof e>).clone;
  try {
    return f();
  } finally {
    Object.defineProperty(e, 'clone', shared);
  }
}

type Step = ReturnType<typeof twoModalityStep>;

/** Gradients of every variable of the small model's blended loss, as plain arrays, and the tape nodes recorded. */
function stepGradients({ model, inputs, oneHot }: Step): { grads: Map<string, Float32Array>; tapeNodes: number } {
  let grads = new Map<string, Float32Array>();
  let tapeNodes = 0;
  tf.tidy(() => {
    const before = tf.engine().state.nextTapeNodeId;
    const { grads: g } = tf.variableGrads(() => blendedLoss(model, inputs, oneHot, EVERY_HEAD), model.variables());
    tapeNodes = tf.engine().state.nextTapeNodeId - before;
    grads = new Map(Object.entries(g).map(([k, t]) => [k, t.dataSync() as Float32Array]));
  });
  return { grads, tapeNodes };
}

test('a step\'s gradients are those of tfjs\' clone path, with fewer tape nodes, and nothing leaks', { skip }, async () => {
  await initEngine({ backend: 'native' });
  // One model throughout: building and disposing a model leaves tfjs-layers' own tensors, not ours to count.
  const step = twoModalityStep();
  try {
    stepGradients(step); // first use builds kernels and caches
    const before = { tensors: tf.memory().numTensors, native: nativeLiveTensors() };
    const shared = stepGradients(step);
    assert.deepEqual({ tensors: tf.memory().numTensors, native: nativeLiveTensors() }, before);
    const reference = withTfjsClone(() => stepGradients(step));
    assert.deepEqual([...shared.grads.keys()], [...reference.grads.keys()]);
    for (const [name, g] of shared.grads) assert.deepEqual(g, reference.grads.get(name), name);
    // tfjs' clone records a tape node per saved tensor; the share records none.
    assert.ok(shared.tapeNodes < reference.tapeNodes, `${shared.tapeNodes} tape nodes, tfjs' clone ${reference.tapeNodes}`);
  } finally {
    step.model.dispose();
    tf.dispose([...Object.values(step.inputs), step.oneHot]);
  }
});

test('a gradient of a gradient still flows through saved tensors', { skip }, async () => {
  await initEngine({ backend: 'native' });
  const x = tf.tensor1d([0.5, -2, 3]);
  // d/dx of d/dx (x^3) = 6x: the inner gradient saves x, and the outer pass differentiates through it.
  const second = tf.grad((v: tf.Tensor) => tf.grad((u: tf.Tensor) => tf.mul(tf.mul(u, u), u))(v))(x);
  assert.deepEqual(Array.from(second.dataSync()), [3, -12, 18]);
  tf.dispose([x, second]);
});
