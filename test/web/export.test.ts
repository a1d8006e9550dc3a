/** `gblend export --web`: what the folder holds, that it needs no network, and one-line errors. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { saveTrained, train } from '../../src/api/train.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;
let dir: string;

/** Runs the CLI; resolves with its exit code and output whatever the code. */
async function gblend(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), ...args], { cwd: ROOT });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gblend-export-'));
  await run(process.execPath, [join(ROOT, 'scripts/bundle-web.mjs')], { cwd: ROOT });
  const ds = tinyDataset([{ name: 'v', shape: [5], separation: 1 }, { name: 'w', shape: [3], separation: 1 }], 6, 2);
  const trained = await train({ method: 'aux', epochs: 1, backend: 'wasm', model: { mlpHidden: [4], fusedHidden: 4 } }, {}, ds);
  await saveTrained(trained, join(dir, 'model'));
  trained.model.dispose();
});

test('export writes a self-contained folder, and again over its own export', async () => {
  const page = join(dir, 'page');
  for (let i = 0; i < 2; i++) assert.equal((await gblend('export', '--web', page, '--model', join(dir, 'model'))).code, 0);
  assert.deepEqual((await readdir(page)).sort(), ['about.json', 'app.js', 'app.js.LEGAL.txt', 'index.html', 'model',
    'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm', 'tfjs-backend-wasm.wasm']);
  assert.deepEqual((await readdir(join(page, 'model'))).sort(), ['gblend.json', 'model.json', 'weights.bin']);
  // Offline: the page names nothing outside its folder.
  const html = await readFile(join(page, 'index.html'), 'utf8');
  assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//);
  assert.match(html, /<script type="module" src="\.\/app\.js">/);
  assert.equal(JSON.parse(await readFile(join(page, 'about.json'), 'utf8')).format, 'gblend-web-page');
});

test('export errors are one line naming the file: a folder of other files, a missing model', async () => {
  const other = join(dir, 'other');
  await mkdir(other);
  await writeFile(join(other, 'notes.txt'), 'mine');
  const busy = await gblend('export', '--web', other, '--model', join(dir, 'model'));
  assert.equal(busy.code, 2);
  assert.match(busy.stderr, /^gblend: error: .*other: the folder is not empty and holds no page exported by gblend \(it has "notes\.txt"\).*\n$/);
  assert.deepEqual(await readdir(other), ['notes.txt']);
  const missing = await gblend('export', '--web', join(dir, 'p2'), '--model', join(dir, 'nope'));
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^gblend: error: .*nope\/gblend\.json: not found .*\n$/);
  const flags = await gblend('export', '--model', join(dir, 'model'));
  assert.equal(flags.code, 2);
  assert.match(flags.stderr, /--web <dir>/);
});
