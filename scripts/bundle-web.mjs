#!/usr/bin/env node
/**
 * Bundles the exported web page (src/web/page/main.ts, with gblend/web and TensorFlow.js) into
 * dist/src/web/page/app.js with esbuild, and copies tfjs-backend-wasm's .wasm files beside it:
 * `gblend export --web` copies that folder. Run by `npm run build` (esbuild is a devDependency,
 * so the published package ships the result, not the bundler). Prints the bundle's size.
 */
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'src', 'web', 'page');
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

export async function bundleWeb({ quiet = false } = {}) {
  await mkdir(out, { recursive: true });
  const result = await build({
    entryPoints: [join(root, 'src', 'web', 'page', 'main.ts')],
    outfile: join(out, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    legalComments: 'linked',
    metafile: true,
    logLevel: 'warning',
    // The emscripten glue of tfjs-backend-wasm names Node modules on code paths a browser never takes.
    external: ['fs', 'path', 'worker_threads', 'perf_hooks', 'os', 'crypto'],
  });
  const wasmDir = dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
  for (const f of WASM_FILES) await copyFile(join(wasmDir, f), join(out, f));
  const bytes = (await stat(join(out, 'app.js'))).size;
  if (!quiet) process.stdout.write(`bundle-web: dist/src/web/page/app.js ${(bytes / 1024).toFixed(0)} KiB (+ ${WASM_FILES.length} .wasm files)\n`);
  return { bytes, inputs: Object.keys(result.metafile.inputs) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleWeb();
