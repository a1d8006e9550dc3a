/**
 * Fetching a saved model (model.json, weights.bin, gblend.json) from a URL. The parts are checked by
 * the same code as in Node (models/model-artifacts.ts), so a wrong URL or a damaged file ends in a
 * one-line SavedModelError naming the URL and the field.
 */
import { buildLoadedModel, checkMetadata, parseJsonObject, type LoadedModel } from '../models/model-artifacts.js';
import { SavedModelError } from '../models/model-metadata.js';

async function fetchOk(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new SavedModelError('unreadable', url, `${url}: cannot fetch: ${(err as Error).message}`);
  }
  if (!response.ok) {
    throw new SavedModelError(response.status === 404 ? 'missing_file' : 'unreadable', url, `${url}: HTTP ${response.status} ${response.statusText} (is this a folder written by 'gblend train' or 'gblend export'?)`);
  }
  return response;
}

const fetchJson = async (url: string): Promise<Record<string, unknown>> => parseJsonObject(await (await fetchOk(url)).text(), url);

/**
 * In a page a relative URL is read against the page's address. Node has no such address, and its fetch
 * reads neither paths nor file: URLs, so a folder on disk gets a one-line error that says what to use.
 */
function modelBase(url: string): URL {
  const inPage = typeof document !== 'undefined';
  let base: URL;
  try {
    base = new URL(url, inPage ? document.baseURI : undefined);
  } catch {
    base = new URL('file:///');
  }
  if (!inPage && base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new SavedModelError('unreadable', url, `${url}: gblend/web outside a page loads models over http(s) only; for a folder on disk use loadModel from 'gblend'`);
  }
  return base;
}

/** `url` is model.json's URL, or its folder's (ending in '/'); the other two files are beside it. */
export async function fetchModel(url: string): Promise<LoadedModel> {
  const base = modelBase(url);
  const modelUrl = base.pathname.endsWith('/') ? new URL('model.json', base) : base;
  const names = { model: modelUrl.href, meta: new URL('gblend.json', modelUrl).href, weights: new URL('weights.bin', modelUrl).href };
  const meta = checkMetadata(await fetchJson(names.meta), names.meta);
  const modelJson = await fetchJson(names.model);
  const weights = await (await fetchOk(names.weights)).arrayBuffer();
  return buildLoadedModel(meta, modelJson, weights, names);
}
