/**
 * Every fusion is one definition: the eager forward pass equals the saved graph loaded by plain
 * TensorFlow.js, every trainable variable has exactly one owner, a few training steps lower the loss,
 * and G-Blend's per-head copies (subModel) compute what the full model computes for their head.
 * On the native backend when its addon is built (that is where fusions must find every kernel), else cpu.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { parseTrainConfig } from '../../src/config/load.js';
import { initEngine } from '../../src/engine/index.js';
import { registerNativeBackend } from '../../src/engine/native/index.js';
import { NATIVE_KERNELS } from '../../src/engine/native/kernels/index.js';
import { FUSION_NAMES, type FusionName } from '../../src/models/fusions/names.js';
import { MultiHeadModel } from '../../src/models/multihead-model.js';
import { meanCrossEntropy } from '../../src/train/losses.js';

before(async () => {
  await initEngine({ backend: registerNativeBackend().available ? 'native' : 'cpu' });
});

const N = 12;
const encoders = [
  { modality: 'v', inputShape: [5], kind: 'mlp' as const },
  { modality: 'img', inputShape: [6, 6], kind: 'conv' as const },
  { modality: 'w-2', inputShape: [4], kind: 'mlp' as const },
];

function makeModel(fusion: FusionName, heads = ['v', 'img', 'w-2', 'fused']): MultiHeadModel {
  const config = parseTrainConfig({ model: { mlpHidden: [8, 6], convChannels: [3, 4], convFeatures: 6, fusedHidden: 7, fusion, lmfRank: 3 } }).model;
  return new MultiHeadModel({ encoders, heads, numClasses: 3, config }, 11);
}

const inputs = (): Record<string, tf.Tensor> => ({
  v: tf.randomNormal([N, 5], 0, 1, 'float32', 1),
  img: tf.randomNormal([N, 6, 6], 0, 1, 'float32', 2),
  'w-2': tf.randomNormal([N, 4], 0, 1, 'float32', 3),
});
const labels = (): tf.Tensor => tf.oneHot(tf.tensor1d(Array.from({ length: N }, (_, i) => i % 3), 'int32'), 3);

const maxDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

/** The exported graph (raw inputs, identity normalisation) saved and reloaded by plain tfjs. */
async function reloaded(model: MultiHeadModel): Promise<tfl.LayersModel> {
  const norms = Object.fromEntries(model.modalities.map((m) => [m, { mean: [0], std: [1] }]));
  const graph = model.exportGraph(norms);
  let saved: tf.io.ModelArtifacts | null = null;
  await graph.save(tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  graph.dispose();
  return tfl.loadLayersModel(tf.io.fromMemory(saved!));
}

for (const fusion of FUSION_NAMES) {
  test(`${fusion}: forward equals the saved graph in plain tfjs, on every head`, async () => {
    const model = makeModel(fusion);
    const x = inputs();
    const plain = await reloaded(model);
    const eager = model.forward(x, { training: false });
    const outs = plain.predict(model.modalities.map((m) => x[m]!)) as tf.Tensor[];
    model.headNames.forEach((h, i) => assert.ok(maxDiff(eager.get(h)!, outs[i]!) < 1e-5, `${fusion}: head ${h}`));
    tf.dispose([...eager.values(), ...outs, ...Object.values(x)]);
    plain.dispose();
    model.dispose();
  });

  test(`${fusion}: every variable has one owner; the fusion's own layers are owned by 'fusion'`, () => {
    const model = makeModel(fusion);
    const owners = model.variableOwners();
    const names = model.variables().map((v) => v.name);
    assert.equal(owners.size, names.length);
    for (const n of names) assert.ok(owners.has(n), `${n} has an owner`);
    const fusionVars = [...owners].filter(([, o]) => o.kind === 'fusion').map(([n]) => n);
    if (fusion === 'late') assert.deepEqual(fusionVars, []);
    else assert.ok(fusionVars.length > 0 && fusionVars.every((n) => n.startsWith('fusion_')), `${fusion}: ${fusionVars.join(', ')}`);
    model.dispose();
  });

  test(`${fusion}: ten steps of plain SGD on the fused loss lower it; subModel copies match their head`, () => {
    const model = makeModel(fusion);
    const x = inputs();
    const opt = tf.train.sgd(0.05);
    const y = labels();
    const loss = (): tf.Scalar => meanCrossEntropy(model.forward(x, { training: true, nextSeed: () => 1 }).get('fused')!, y);
    const first = tf.tidy(() => loss().dataSync()[0]!);
    for (let i = 0; i < 10; i++) tf.dispose(opt.minimize(loss, true, model.variables()) ?? []);
    const last = tf.tidy(() => loss().dataSync()[0]!);
    assert.ok(last < first, `${fusion}: loss ${first} -> ${last}`);
    for (const head of ['fused', 'img']) {
      const copy = model.subModel(head);
      const d = tf.tidy(() => maxDiff(copy.forward(x, { training: false }).get(head)!, model.forward(x, { training: false }).get(head)!));
      assert.ok(d < 1e-5, `${fusion}: subModel(${head}) differs by ${d}`);
      copy.dispose();
    }
    opt.dispose();
    tf.dispose([y, ...Object.values(x)]);
    model.dispose();
  });
}

test('the native backend has every kernel each fusion runs, forward and backward (from a profile on any backend)', async () => {
  const native = new Set(NATIVE_KERNELS.map((k) => k.kernelName));
  for (const fusion of FUSION_NAMES) {
    const model = makeModel(fusion);
    const x = inputs();
    const y = labels();
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => meanCrossEntropy(model.forward(x, { training: true, gradScale: { fused: 2 } }).get('fused')!, y), model.variables());
      tf.dispose([value, ...Object.values(grads)]);
    });
    // The profile also names composite ops ('logSoftmax__op'); kernels are what the backend registers.
    const kernels = new Set(tf.getKernelsForBackend(tf.getBackend()).map((k) => k.kernelName));
    const ran = profile.kernelNames.filter((k) => kernels.has(k));
    assert.ok(ran.includes('Multiply') && ran.length > 5, `${fusion}: ${ran.join(', ')}`);
    assert.deepEqual(ran.filter((k) => !native.has(k)), [], `${fusion}: kernels the native backend lacks`);
    tf.dispose([y, ...Object.values(x)]);
    model.dispose();
  }
});

test('mid: encoders stop after their first stage, uni-modal heads read it, the trunk continues them', () => {
  const model = makeModel('mid');
  assert.deepEqual(model.encoders.get('v')!.layers.map((l) => l.name), ['enc_v_dense1']);
  assert.deepEqual(model.encoders.get('img')!.layers.map((l) => l.name), ['enc_img_channels', 'enc_img_conv1', 'enc_img_pool1', 'enc_img_flatten']);
  assert.equal(model.encoders.get('img')!.outputDim, 3 * 3 * 3);
  // A conv encoder among them: the trunk is one dense layer of convFeatures units.
  assert.deepEqual(model.fusion!.layers.map((l) => l.name), ['fuse_concat', 'fusion_mid_dense1']);
  model.dispose();
});
