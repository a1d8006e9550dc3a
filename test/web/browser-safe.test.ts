/**
 * gblend/web and the exported page import nothing from Node: esbuild bundles them for the browser
 * platform, where a Node built-in cannot resolve, and none of gblend's Node-only folders is pulled in.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';

const ROOT = new URL('../../../', import.meta.url).pathname;
/** Folders of src/ that may use Node (files, processes, the native addon). */
const NODE_ONLY = /^src\/(api|cli|config|engine|io|report|train)\//;

for (const entry of ['src/web/index.ts', 'src/web/page/main.ts']) {
  test(`${entry} bundles for the browser without Node`, async () => {
    const result = await build({
      entryPoints: [join(ROOT, entry)], bundle: true, write: false, format: 'esm', platform: 'browser', metafile: true, logLevel: 'silent',
      // The emscripten glue of tfjs-backend-wasm names these on code paths a browser never takes (as in scripts/bundle-web.mjs).
      external: ['fs', 'path', 'worker_threads', 'perf_hooks', 'os', 'crypto'],
    });
    const ours = Object.keys(result.metafile.inputs).filter((f) => f.startsWith('src/'));
    assert.ok(ours.includes('src/models/predict-heads.ts'), 'the shared head choice is in the bundle');
    assert.deepEqual(ours.filter((f) => NODE_ONLY.test(f)), []);
    const imports = Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
    assert.deepEqual(imports.filter((p) => p.startsWith('node:')), []);
  });
}
