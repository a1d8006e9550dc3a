#!/usr/bin/env node
/**
 * Bundles with esbuild, into dist/src/web/page/: app.js, the exported web page (src/web/page/main.ts
 * with gblend/web and TensorFlow.js), and gblend-web.js, gblend/web alone as one ES module for pages
 * without a bundler (the browser benchmark uses it); copies tfjs-backend-wasm's .wasm files beside
 * them. `gblend export --web` copies app.js and the .wasm files. Run by `npm run build` (esbuild is a devDependency,
 * so the published package ships the result, not the bundler). Prints the bundle's size.
 */
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'src', 'web', 'page');
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

export async function bundleWeb({ quiet = false } = {}) {
  await mkdir(out, { recursive: true });
  const result = await build({
    entryPoints: [
      { in: join(root, 'src', 'web', 'page', 'main.ts'), out: 'app' },
      { in: join(root, 'src', 'web', 'index.ts'), out: 'gblend-web' },
    ],
    outdir: out,
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
  const gzipped = gzipSync(await readFile(join(out, 'app.js'))).length;
  if (!quiet) process.stdout.write(`bundle-web: dist/src/web/page/app.js ${(bytes / 1024).toFixed(0)} KiB (${(gzipped / 1024).toFixed(0)} KiB gzipped), gblend-web.js, ${WASM_FILES.length} .wasm files\n`);
  return { bytes, gzipped, inputs: Object.keys(result.metafile.inputs) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundleWeb();
