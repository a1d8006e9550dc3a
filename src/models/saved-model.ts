/**
 * Saving trained models in TensorFlow.js layers format (model.json + weights.bin, loadable with
 * tf.loadLayersModel in Node or a browser), plus gblend.json: what predicting needs besides weights
 * (classes, input shapes, normalisation, head names in output order). A save goes to a temporary
 * folder that replaces the destination only when complete (model-dir.ts): nothing is ever half-written.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { replaceModelDir } from './model-dir.js';
import type { MultiHeadModel } from './multihead-model.js';

import type { ModelMetadata } from './model-metadata.js';

export { loadModel, type LoadedModel } from './load-model.js';
export { SavedModelError, type ModelMetadata, type Normalization } from './model-metadata.js';

function concatWeightData(data: ArrayBuffer | ArrayBuffer[]): Uint8Array {
  const parts = Array.isArray(data) ? data : [data];
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), offset);
    offset += p.byteLength;
  }
  return out;
}

export async function saveModel(model: MultiHeadModel, meta: Omit<ModelMetadata, 'format' | 'version' | 'heads'>, dir: string): Promise<void> {
  await replaceModelDir(dir, async (tmp) => {
    await model.graph.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const modelJson = {
          format: 'layers-model',
          generatedBy: 'gblend',
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        };
        await writeFile(join(tmp, 'model.json'), JSON.stringify(modelJson));
        await writeFile(join(tmp, 'weights.bin'), concatWeightData(artifacts.weightData!));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const full: ModelMetadata = { format: 'gblend-model', version: 1, heads: model.headNames, ...meta };
    // Written last: a folder is recognised as a gblend model by this file (model-dir.ts).
    await writeFile(join(tmp, 'gblend.json'), JSON.stringify(full, null, 2));
  });
}
