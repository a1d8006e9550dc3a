/**
 * Saving and loading trained models in TensorFlow.js layers format (model.json + weights.bin, loadable
 * with tf.loadLayersModel in Node or a browser), plus gblend.json: what predicting needs besides weights
 * (classes, input shapes, normalisation, head names in output order).
 * A save goes to a temporary folder that is renamed at the end: nothing is ever half-written.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { MultiHeadModel } from './multihead-model.js';

export interface Normalization {
  mean: number[];
  std: number[];
}

export interface ModelMetadata {
  format: 'gblend-model';
  version: 1;
  method: string;
  classes: string[];
  /** In the graph's input order. */
  modalities: { name: string; shape: number[]; normalization: Normalization }[];
  /** In the graph's output order. */
  heads: string[];
  weights: Record<string, number>;
  test: Record<string, unknown>;
  config: unknown;
}

export class SavedModelError extends Error {
  constructor(readonly code: string, readonly file: string, message: string) {
    super(message);
    this.name = 'SavedModelError';
  }
}

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
  const tmp = `${dir.replace(/\/+$/, '')}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
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
    await writeFile(join(tmp, 'gblend.json'), JSON.stringify(full, null, 2));
    await mkdir(dirname(dir), { recursive: true });
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

export interface LoadedModel {
  graph: tfl.LayersModel;
  meta: ModelMetadata;
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new SavedModelError('missing_file', file, `${file}: not found (is this a folder written by 'gblend train'?)`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SavedModelError('bad_json', file, `${file}: not valid JSON: ${(err as Error).message}`);
  }
}

export async function loadModel(dir: string): Promise<LoadedModel> {
  const meta = (await readJson(join(dir, 'gblend.json'))) as ModelMetadata;
  if (meta.format !== 'gblend-model' || meta.version !== 1) {
    throw new SavedModelError('bad_format', join(dir, 'gblend.json'), `${join(dir, 'gblend.json')}: field 'format': not a gblend model (format ${String(meta.format)}, version ${String(meta.version)})`);
  }
  const modelJson = (await readJson(join(dir, 'model.json'))) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
  let weights: Buffer;
  try {
    weights = await readFile(join(dir, 'weights.bin'));
  } catch {
    throw new SavedModelError('missing_file', join(dir, 'weights.bin'), `${join(dir, 'weights.bin')}: not found`);
  }
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const graph = await tfl.loadLayersModel(
    tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest.flatMap((m) => m.weights), weightData }),
  );
  return { graph, meta };
}
