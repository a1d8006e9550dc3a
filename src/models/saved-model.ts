/**
 * Saving trained models in TensorFlow.js layers format (model.json + weights.bin, loadable with
 * tf.loadLayersModel in Node or a browser), plus gblend.json: what predicting needs besides weights
 * (classes, input shapes, normalisation, head names in output order). A save goes to a temporary
 * folder that replaces the destination only when complete (model-dir.ts): nothing is ever half-written.
 * Since version 2 the graph starts with the input normalisation (normalization-layer.ts): model.json alone
 * maps raw inputs to logits.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
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

export async function saveModel(model: MultiHeadModel, meta: Omit<ModelMetadata, 'format' | 'version' | 'heads' | 'normalizedInGraph'>, dir: string): Promise<void> {
  const normalizers = Object.fromEntries(meta.modalities.map((m) => [m.name, m.normalization]));
  // The saved graph takes raw inputs (version 2); gblend.json keeps the normalisation for readers.
  const graph = model.exportGraph(normalizers);
  try {
    await saveGraph(graph, { format: 'gblend-model', version: 2, normalizedInGraph: true, heads: model.headNames, ...meta }, dir);
  } finally {
    graph.dispose();
  }
}

async function saveGraph(graph: tfl.LayersModel, full: ModelMetadata, dir: string): Promise<void> {
  await replaceModelDir(dir, async (tmp) => {
    await graph.save(
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
    // Written last: a folder is recognised as a gblend model by this file (model-dir.ts).
    await writeFile(join(tmp, 'gblend.json'), JSON.stringify(full, null, 2));
  });
}
