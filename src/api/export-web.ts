/**
 * `gblend export --web DIR`: a static folder that serves a saved model in a web page, offline:
 * index.html, app.js (the page and gblend/web, bundled at build time), tfjs-backend-wasm's .wasm files,
 * model/ (the saved model's three files) and about.json (what the page cannot read from gblend.json).
 * gblend writes only into a new or empty folder, or over a page it exported (it then replaces its own
 * files and nothing else).
 */
import { copyFile, readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/user-error.js';
import { initEngine } from '../engine/index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { FileError, writing } from '../io/file-error.js';
import { checkOutputDir, pathKind } from '../io/output-check.js';
import { MODEL_FILES } from '../models/model-dir.js';
import { loadModel } from '../models/saved-model.js';
import type { AboutFile } from '../web/page/about.js';
import { pageHtml } from '../web/page/html.js';
import { resolveDatasetDir } from './datasets.js';

/** Built by scripts/bundle-web.mjs next to the compiled page modules (dist/src/web/page/). */
const BUNDLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'page');
const BUNDLE_FILES = ['app.js', 'app.js.LEGAL.txt'];
/** Copied from the installed tfjs-backend-wasm (the package does not ship its own copies). */
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
const wasmDir = (): string => dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
const PAGE_FORMAT = 'gblend-web-page';

export class ExportError extends UserError {}

/** Throws unless `dir` is absent, empty, or a page gblend exported. */
async function checkPageDestination(dir: string): Promise<void> {
  await checkOutputDir(dir, 'the web page');
  if ((await pathKind(dir)) !== 'dir') return;
  const entries = await readdir(dir);
  if (entries.length === 0) return;
  const about = await readFile(join(dir, 'about.json'), 'utf8').then((t) => JSON.parse(t) as { format?: unknown }, () => null);
  if (about?.format !== PAGE_FORMAT) {
    throw new FileError('OUTPUT_NOT_EMPTY', dir, `the folder is not empty and holds no page exported by gblend (it has ${entries.slice(0, 5).map((e) => JSON.stringify(e)).join(', ')}); give a new or empty folder`);
  }
}

/** The training data's name and description from its dataset.json, where it can still be read. */
async function describeDataset(data: unknown): Promise<{ name: string; description: string | null }> {
  const fallback = { name: typeof data === 'string' ? data : 'unknown', description: null };
  if (typeof data !== 'string') return fallback;
  const text = await readFile(join(resolveDatasetDir(data), 'dataset.json'), 'utf8').catch(() => null);
  try {
    const manifest = JSON.parse(text ?? 'null') as { name?: unknown; description?: unknown } | null;
    return {
      name: typeof manifest?.name === 'string' ? manifest.name : fallback.name,
      description: typeof manifest?.description === 'string' ? manifest.description : null,
    };
  } catch {
    return fallback;
  }
}

/** Writes the page for the model in `modelDir` into `outDir`; returns the files written, relative to it. */
export async function exportWebPage(modelDir: string, outDir: string): Promise<string[]> {
  const missing = [];
  for (const f of BUNDLE_FILES) if ((await pathKind(join(BUNDLE_DIR, f))) !== 'file') missing.push(f);
  if (missing.length > 0) throw new ExportError('no_bundle', `${BUNDLE_DIR}: the web bundle is missing (${missing.join(', ')}); run 'npm run build'`);
  // Load the model once, so that a damaged one fails here with its own message, not later in a browser.
  await initEngine({ backend: 'auto' });
  const { graph, meta } = await loadModel(modelDir);
  graph.dispose();
  await checkPageDestination(outDir);

  const config = (meta.config ?? {}) as { data?: unknown };
  const version = (JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  const dataset = await describeDataset(config.data);
  const about: AboutFile & { format: string } = {
    format: PAGE_FORMAT,
    dataset: dataset.name,
    description: dataset.description,
    exported: new Date().toISOString().slice(0, 10),
    gblendVersion: version,
  };
  const title = `gblend: ${about.dataset} (${meta.modalities.map((m) => m.name).join(' + ')})`;
  const written: string[] = [];
  const copy = async (from: string, to: string): Promise<void> => {
    await writing(join(outDir, to), 'the web page', () => copyFile(from, join(outDir, to)));
    written.push(to);
  };
  await writeFileAtomic(join(outDir, 'model', 'gblend.json'), await readFile(join(modelDir, 'gblend.json')), 'the web page');
  for (const f of MODEL_FILES) if (f !== 'gblend.json') await copy(join(modelDir, f), join('model', f));
  written.push('model/gblend.json');
  for (const f of BUNDLE_FILES) await copy(join(BUNDLE_DIR, f), f);
  for (const f of WASM_FILES) await copy(join(wasmDir(), f), f);
  await writeFileAtomic(join(outDir, 'index.html'), pageHtml(title), 'the web page');
  await writeFileAtomic(join(outDir, 'about.json'), JSON.stringify(about, null, 2), 'the web page');
  return [...written, 'index.html', 'about.json'];
}
