/**
 * gblend as a dependency: `npm pack`, install the tarball in an empty project, and use it there
 * (`npx gblend --help`, a one-epoch `compare`, an import of the library). Also checks that the
 * tarball holds what a user needs and none of the tests, benchmarks or CI files.
 * Not part of `npm test` (packing rebuilds dist): `npm run test:package`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { failure, newcomerEnv, REPO_ROOT, sh } from './shell.js';

/** What a user's install needs: the CLI, the library and its types, the native sources, the dataset, the page bundle. */
const REQUIRED = [
  'dist/src/web/index.js',
  'dist/src/web/page/app.js',
  'package.json',
  'README.md',
  'LICENSE',
  'bin/gblend.js',
  'dist/src/cli/main.js',
  'dist/src/index.js',
  'dist/src/index.d.ts',
  'native/binding.gyp',
  'scripts/build-native.mjs',
  'data/avdigits/dataset.json',
  'data/avdigits/image.npy',
];
/** What only developers need. */
const FORBIDDEN = [/^test\//, /^dist\/test\//, /^bench\//, /^dist\/bench\//, /^\.ci\//, /^dist\/scripts\//, /\.map$/, /^src\//, /^tsconfig/];

const base = mkdtempSync(join(tmpdir(), 'gblend-package-'));
const app = join(base, 'app');
let failed = false;
after(() => {
  if (!failed) rmSync(base, { recursive: true, force: true });
  else process.stderr.write(`package test: files kept in ${base}\n`);
});

function run(t: { diagnostic(m: string): void }, command: string, cwd: string): string {
  const r = sh(command, cwd, 20, newcomerEnv());
  failed ||= r.status !== 0;
  assert.equal(r.status, 0, failure(command, cwd, r));
  t.diagnostic(`${command}: ${r.seconds.toFixed(0)} s`);
  return r.tail;
}

describe('gblend installed from its tarball into an empty project', () => {
  let tarball = '';

  test('npm pack: what a user needs, no tests, benchmarks or CI files', (t) => {
    // npm pack runs `prepare` (the build): where that fails, its output is the failure's message.
    const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', base], { cwd: REPO_ROOT, env: newcomerEnv(), encoding: 'utf8', maxBuffer: 64 << 20 });
    failed ||= packed.status !== 0;
    assert.equal(packed.status, 0, `npm pack failed (exit ${packed.status}):\n${packed.stderr.slice(-4000)}${packed.stdout.slice(-2000)}`);
    const json = packed.stdout;
    const [info] = JSON.parse(json.slice(json.indexOf('['))) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
    tarball = join(base, info!.filename);
    const paths = info!.files.map((f) => f.path);
    t.diagnostic(`${info!.filename}: ${(info!.size / 1e6).toFixed(2)} MB packed, ${(info!.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${paths.length} files`);
    const missing = REQUIRED.filter((p) => !paths.includes(p));
    const extra = paths.filter((p) => FORBIDDEN.some((re) => re.test(p)));
    failed ||= missing.length > 0 || extra.length > 0;
    assert.deepEqual(missing, [], 'files a user needs are missing from the tarball');
    assert.deepEqual(extra, [], 'developer-only files are in the tarball');
  });

  test('npm install TARBALL in an empty project', (t) => {
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }, null, 2));
    run(t, `npm install --no-audit --no-fund ${JSON.stringify(tarball)}`, app);
    const addon = join(app, 'node_modules', 'gblend', 'native', 'build', 'Release', 'gblend_native.node');
    // Where libtorch is installed the dependency's install must build the native backend, as ours does.
    if (existsSync('/usr/include/ATen/ATen.h')) assert.ok(existsSync(addon), `libtorch is installed but the installed package has no ${addon}`);
  });

  test('npx gblend --help', (t) => {
    const out = run(t, 'npx gblend --help', app);
    assert.match(out, /compare/);
    assert.match(out, /predict/);
  });

  test('npx gblend compare, one epoch', (t) => {
    const out = run(t, 'npx gblend compare --methods uni:image,naive --epochs 1 --out runs/one', app);
    const results = JSON.parse(readFileSync(join(app, 'runs', 'one', 'results.json'), 'utf8')) as unknown;
    assert.ok(results && typeof results === 'object');
    if (existsSync('/usr/include/ATen/ATen.h')) assert.match(out, /backend native/, 'libtorch is installed but the run did not use the native backend');
  });

  test('npx gblend train, one epoch, then export --web: the page has its bundle, model and .wasm files', (t) => {
    run(t, 'npx gblend train --method naive --epochs 1 --out model', app);
    run(t, 'npx gblend export --web page --model model', app);
    for (const f of ['index.html', 'app.js', 'model/model.json', 'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
      assert.ok(existsSync(join(app, 'page', f)), `the exported page has no ${f}`);
    }
  });

  test('the library imports from the installed package', (t) => {
    const script = "import * as g from 'gblend'; import * as w from 'gblend/web'; for (const f of ['compare', 'train', 'saveTrained', 'predict']) if (typeof g[f] !== 'function') { console.error('missing export ' + f); process.exit(1); } if (typeof w.loadModel !== 'function') { console.error('missing gblend/web loadModel'); process.exit(1); }";
    run(t, `node --input-type=module -e ${JSON.stringify(script)}`, app);
  });
});
