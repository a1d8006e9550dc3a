/**
 * Loading a saved model from a folder. The parts are read here and checked in model-artifacts.ts (shared
 * with the browser module), so a damaged or foreign folder ends in a one-line SavedModelError naming the
 * file and the field. The model.json is checked before weights.bin is read, as a bad manifest says more.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsReason, errno } from '../io/file-error.js';
import { buildLoadedModel, checkMetadata, checkModelJson, parseJsonObject, type LoadedModel } from './model-artifacts.js';
import { SavedModelError } from './model-metadata.js';

export type { LoadedModel } from './model-artifacts.js';

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    if (errno(e) === 'ENOENT') throw new SavedModelError('missing_file', file, `${file}: not found (is this a folder written by 'gblend train'?)`);
    throw new SavedModelError('unreadable', file, `${file}: cannot read: ${fsReason(e)}`);
  }
}

const readJsonObject = async (file: string): Promise<Record<string, unknown>> => parseJsonObject((await readBytes(file)).toString('utf8'), file);

export async function loadModel(dir: string): Promise<LoadedModel> {
  const names = { meta: join(dir, 'gblend.json'), model: join(dir, 'model.json'), weights: join(dir, 'weights.bin') };
  const meta = checkMetadata(await readJsonObject(names.meta), names.meta);
  const modelJson = await readJsonObject(names.model);
  checkModelJson(modelJson, names.model);
  const weights = await readBytes(names.weights);
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  return buildLoadedModel(meta, modelJson, weightData, names);
}
