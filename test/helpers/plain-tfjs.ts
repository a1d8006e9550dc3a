/** What a user does with plain TensorFlow.js and a saved model: model.json + weights.bin, raw inputs, softmax of 'fused'. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Dataset } from '../../src/data/index.js';

/** The fused head's probabilities on every row of `dataset`, from the saved folder `dir` alone. */
export async function plainFusedProbabilities(dir: string, dataset: Dataset): Promise<Float32Array> {
  const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  const weights = await readFile(join(dir, 'weights.bin'));
  const graph = await tfl.loadLayersModel(tf.io.fromMemory({
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest[0].weights,
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  }));
  const n = dataset.labels.length;
  const raw = dataset.modalities.map((m) => tf.tensor(m.data, [n, ...m.shape]));
  const outs = graph.predict(raw) as tf.Tensor[];
  const fused = tf.softmax(outs[graph.outputNames.findIndex((o) => o.startsWith('fusedhead_out'))]!);
  const probs = (await fused.data()) as Float32Array;
  tf.dispose([...raw, ...outs, fused]);
  graph.dispose();
  return probs;
}
