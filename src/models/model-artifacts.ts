/**
 * Checks of a saved model's three parts (gblend.json, model.json, weights.bin) once read, wherever they
 * were read from: files in Node (load-model.ts) or URLs in a browser (src/web). Every problem ends in a
 * one-line SavedModelError naming the file and the field, never in a TensorFlow.js stack trace.
 * No I/O here, nothing from Node.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SavedModelError, type ModelMetadata } from './model-metadata.js';

export interface LoadedModel {
  graph: tfl.LayersModel;
  meta: ModelMetadata;
}

type Json = Record<string, unknown>;

/** Where each part came from (a path or a URL), for messages. */
export interface ArtifactNames {
  meta: string;
  model: string;
  weights: string;
}

export function parseJsonObject(text: string, file: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new SavedModelError('bad_json', file, `${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SavedModelError('bad_json', file, `${file}: must hold a JSON object`);
  return value as Json;
}

const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isNumberList = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
const isShape = (v: unknown): v is number[] => isNumberList(v) && v.every((d) => Number.isInteger(d) && d > 0);

/** Checks gblend.json field by field; returns the name of the first bad field, or null. */
function badMetadataField(meta: Json): string | null {
  if (typeof meta.method !== 'string') return 'method';
  if (meta.normalizedInGraph !== undefined && typeof meta.normalizedInGraph !== 'boolean') return 'normalizedInGraph';
  if (!isStringList(meta.classes) || meta.classes.length < 2) return 'classes';
  if (!isStringList(meta.heads) || meta.heads.length === 0) return 'heads';
  if (!Array.isArray(meta.modalities) || meta.modalities.length === 0) return 'modalities';
  for (const [i, m] of (meta.modalities as Json[]).entries()) {
    if (typeof m !== 'object' || m === null || typeof m.name !== 'string') return `modalities[${i}].name`;
    if (!isShape(m.shape)) return `modalities[${i}].shape`;
    const norm = m.normalization as Json | undefined;
    if (typeof norm !== 'object' || norm === null || !isNumberList(norm.mean) || !isNumberList(norm.std)) return `modalities[${i}].normalization`;
  }
  return null;
}

/** gblend.json, checked: versions 1 (normalised inputs) and 2 (the graph normalises) both load. */
export function checkMetadata(meta: Json, file: string): ModelMetadata {
  if (meta.format !== 'gblend-model' || (meta.version !== 1 && meta.version !== 2)) {
    throw new SavedModelError('bad_format', file, `${file}: field 'format': not a gblend model (format ${String(meta.format)}, version ${String(meta.version)})`);
  }
  const badField = badMetadataField(meta);
  if (badField !== null) throw new SavedModelError('bad_format', file, `${file}: field '${badField}' is missing or malformed`);
  return meta as unknown as ModelMetadata;
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** The weight specs of model.json, and the bytes they need; throws on a malformed manifest. */
function weightSpecs(modelJson: Json, file: string): { specs: tf.io.WeightsManifestEntry[]; bytes: number } {
  const manifest = modelJson.weightsManifest;
  const specs = Array.isArray(manifest) ? manifest.flatMap((m: Json) => (Array.isArray(m?.weights) ? m.weights : [null])) : [null];
  let bytes = 0;
  for (const s of specs as (Json | null)[]) {
    if (s === null || typeof s.name !== 'string' || !isNumberList(s.shape) || DTYPE_BYTES[String(s.dtype)] === undefined || s.quantization !== undefined) {
      throw new SavedModelError('bad_model', file, `${file}: field 'weightsManifest': not a list of float32 weight groups as gblend writes them`);
    }
    bytes += s.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[String(s.dtype)]!;
  }
  return { specs: specs as tf.io.WeightsManifestEntry[], bytes };
}

/** model.json's topology and weight specs, checked; `weightsLength` is in bytes. */
export function checkModelJson(modelJson: Json, file: string): { topology: Json; specs: tf.io.WeightsManifestEntry[]; bytes: number } {
  if (typeof modelJson.modelTopology !== 'object' || modelJson.modelTopology === null) {
    throw new SavedModelError('bad_model', file, `${file}: field 'modelTopology' is missing`);
  }
  return { topology: modelJson.modelTopology as Json, ...weightSpecs(modelJson, file) };
}

/** Builds the graph from checked parts: the weights' length and the graph's inputs and outputs are checked too. */
export async function buildLoadedModel(meta: ModelMetadata, modelJson: Json, weights: ArrayBuffer, names: ArtifactNames): Promise<LoadedModel> {
  const { topology, specs, bytes } = checkModelJson(modelJson, names.model);
  if (weights.byteLength !== bytes) {
    const what = weights.byteLength < bytes ? 'truncated' : 'longer than expected';
    throw new SavedModelError('bad_weights', names.weights, `${names.weights}: ${what}: model.json's weights need ${bytes} bytes, the file has ${weights.byteLength}`);
  }
  let graph: tfl.LayersModel;
  try {
    graph = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: topology, weightSpecs: specs, weightData: weights }));
  } catch (err) {
    throw new SavedModelError('bad_model', names.model, `${names.model}: cannot build the model: ${(err as Error).message}`);
  }
  if (graph.inputs.length !== meta.modalities.length || graph.outputs.length !== meta.heads.length) {
    graph.dispose();
    throw new SavedModelError('bad_model', names.model, `${names.model}: the graph has ${graph.inputs.length} inputs and ${graph.outputs.length} outputs, gblend.json lists ${meta.modalities.length} modalities and ${meta.heads.length} heads`);
  }
  return { graph, meta };
}
