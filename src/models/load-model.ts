/**
 * Loading a saved model, with every file checked before TensorFlow.js sees it, so that a damaged or
 * foreign folder ends in a one-line SavedModelError naming the file and the field, never a stack trace.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fsReason, errno } from '../io/file-error.js';
import { SavedModelError, type ModelMetadata } from './model-metadata.js';

export interface LoadedModel {
  graph: tfl.LayersModel;
  meta: ModelMetadata;
}

type Json = Record<string, unknown>;

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    if (errno(e) === 'ENOENT') throw new SavedModelError('missing_file', file, `${file}: not found (is this a folder written by 'gblend train'?)`);
    throw new SavedModelError('unreadable', file, `${file}: cannot read: ${fsReason(e)}`);
  }
}

async function readJsonObject(file: string): Promise<Json> {
  const text = (await readBytes(file)).toString('utf8');
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

export async function loadModel(dir: string): Promise<LoadedModel> {
  const metaFile = join(dir, 'gblend.json');
  const meta = await readJsonObject(metaFile);
  if (meta.format !== 'gblend-model' || meta.version !== 1) {
    throw new SavedModelError('bad_format', metaFile, `${metaFile}: field 'format': not a gblend model (format ${String(meta.format)}, version ${String(meta.version)})`);
  }
  const badField = badMetadataField(meta);
  if (badField !== null) throw new SavedModelError('bad_format', metaFile, `${metaFile}: field '${badField}' is missing or malformed`);
  const modelFile = join(dir, 'model.json');
  const modelJson = await readJsonObject(modelFile);
  if (typeof modelJson.modelTopology !== 'object' || modelJson.modelTopology === null) {
    throw new SavedModelError('bad_model', modelFile, `${modelFile}: field 'modelTopology' is missing`);
  }
  const { specs, bytes } = weightSpecs(modelJson, modelFile);
  const weightsFile = join(dir, 'weights.bin');
  const weights = await readBytes(weightsFile);
  if (weights.byteLength !== bytes) {
    const what = weights.byteLength < bytes ? 'truncated' : 'longer than expected';
    throw new SavedModelError('bad_weights', weightsFile, `${weightsFile}: ${what}: model.json's weights need ${bytes} bytes, the file has ${weights.byteLength}`);
  }
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  let graph: tfl.LayersModel;
  try {
    graph = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData }));
  } catch (err) {
    throw new SavedModelError('bad_model', modelFile, `${modelFile}: cannot build the model: ${(err as Error).message}`);
  }
  const typed = meta as unknown as ModelMetadata;
  if (graph.inputs.length !== typed.modalities.length || graph.outputs.length !== typed.heads.length) {
    graph.dispose();
    throw new SavedModelError('bad_model', modelFile, `${modelFile}: the graph has ${graph.inputs.length} inputs and ${graph.outputs.length} outputs, gblend.json lists ${typed.modalities.length} modalities and ${typed.heads.length} heads`);
  }
  return { graph, meta: typed };
}
