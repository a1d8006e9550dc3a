/**
 * The exported page as a person uses it, in Debian's chromium: train a small avdigits model, export
 * the page, serve it on 127.0.0.1, draw a digit with the mouse, upload a spoken-digit WAV, and check
 * that the probabilities shown equal `gblend predict` on the same example (the page's inputs,
 * downloaded with its button) and gblend/web's predict in Node. The audio features computed in the
 * page must equal those Node computes from the same file.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseNpy } from '../../src/data/npy.js';
import { recordingFeatures } from '../../src/features/spoken-digit.js';
import { parseWav } from '../../src/features/wav.js';
import { loadModel } from '../../src/web/index.js';
import { CHROMIUM, skipWithoutChromium } from '../helpers/chromium.js';
import { serveFolder, type StaticServer } from '../helpers/static-server.js';
import { testUtterance, wavBytes } from '../helpers/wav.js';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;
const gblend = (...args: string[]): Promise<{ stdout: string }> => run(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), ...args], { cwd: ROOT });
const skip = skipWithoutChromium();

let dir: string;
let server: StaticServer;
let browser: Browser;

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'gblend-page-'));
  await run(process.execPath, [join(ROOT, 'scripts/bundle-web.mjs')], { cwd: ROOT });
  await gblend('train', '--method', 'aux', '--epochs', '1', '--out', join(dir, 'model'), '--quiet');
  await gblend('export', '--web', join(dir, 'page'), '--model', join(dir, 'model'));
  await writeFile(join(dir, 'digit.wav'), wavBytes(testUtterance(22050), 22050));
  server = await serveFolder(join(dir, 'page'));
  // Chromium's fake microphone (a beep) stands in for a person speaking, without a permission prompt.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Every head's probabilities as the page shows them (full precision from data-p). */
async function shownProbabilities(page: Page): Promise<Record<string, number[]>> {
  return page.$$eval('#head-probabilities tr[data-head]', (rows) =>
    Object.fromEntries(rows.map((r) => [r.getAttribute('data-head')!, Array.from(r.querySelectorAll('td')).map((td) => Number(td.getAttribute('data-p')))])));
}

async function waitForPredictions(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => Number(document.body.dataset.predictions ?? 0) >= n, count, { timeout: 20_000 });
}

/** `gblend predict` on a one-example dataset made of the page's downloaded inputs: probabilities per class. */
async function predictInNode(data: string, modalities: string): Promise<number[]> {
  const out = join(data, `pred-${modalities}.csv`);
  await gblend('predict', '--model', join(dir, 'model'), '--data', data, '--modalities', modalities, '--out', out);
  const [header, row] = (await readFile(out, 'utf8')).trim().split('\n');
  const cols = header!.split(',');
  return row!.split(',').filter((_, i) => cols[i]!.startsWith('p_')).map(Number);
}

const assertClose = (a: number[], b: number[], what: string): void => {
  assert.equal(a.length, b.length, what);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 1e-4, `${what}: class ${i}: ${v} vs ${b[i]}`));
};

test('exported avdigits page: draw, upload, and the same probabilities as gblend predict and Node', { skip, timeout: 120_000 }, async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
  assert.match(await page.locator('#about').innerText(), /avdigits[\s\S]*fused \(all modalities\)\s+\d+\.\d%/);
  // Where WebGL is drawn by the CPU (headless Chromium without a GPU: SwiftShader), WASM runs the model.
  const renderer = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'none';
  });
  assert.match(await page.locator('#about').innerText(), /swiftshader|llvmpipe|software/i.test(renderer) ? /running on TensorFlow\.js wasm/ : /running on TensorFlow\.js (webgl|wasm)/, renderer);

  // A "7": a stroke across the top, then down to the bottom left, with the mouse.
  const pad = (await page.locator('#pad').boundingBox())!;
  const path = [[70, 60], [210, 60], [190, 110], [160, 170], [130, 240]] as const;
  await page.mouse.move(pad.x + path[0][0], pad.y + path[0][1]);
  await page.mouse.down();
  for (const [x, y] of path.slice(1)) await page.mouse.move(pad.x + x, pad.y + y, { steps: 8 });
  await page.mouse.up();
  await waitForPredictions(page, 2);
  assert.deepEqual(Object.keys(await shownProbabilities(page)), ['image']);

  await page.setInputFiles('#audio-file', join(dir, 'digit.wav'));
  await waitForPredictions(page, 3);
  const shown = await shownProbabilities(page);
  assert.deepEqual(Object.keys(shown), ['image', 'audio', 'fused']);
  assert.equal(await page.locator('#leave-out tr[data-given]').count(), 3);

  // The page's inputs, as a person downloads them to check with gblend predict.
  const data = join(dir, 'example');
  const files: Record<string, string> = {};
  for (const m of ['image', 'audio']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#download-${m}`)]);
    files[download.suggestedFilename()] = join(data, download.suggestedFilename());
    await download.saveAs(files[download.suggestedFilename()]!);
  }
  const image = parseNpy(await readFile(files['image.npy']!));
  const audio = parseNpy(await readFile(files['audio.npy']!));
  assert.ok(Array.from(image.data as Uint8Array).reduce((a, b) => a + b, 0) > 255 * 5, 'the drawing left ink in the image input');
  const wave = parseWav(await readFile(join(dir, 'digit.wav')));
  assert.deepEqual(Array.from(audio.data as Uint8Array), Array.from(recordingFeatures(wave.samples, wave.sampleRate)), 'page and Node compute the same log-mel features');

  await writeFile(join(data, 'dataset.json'), JSON.stringify({ name: 'page-example', classes: [...'0123456789'], modalities: { image: { file: 'image.npy' }, audio: { file: 'audio.npy' } } }));
  assertClose(shown.fused!, await predictInNode(data, 'image,audio'), 'fused head vs gblend predict');
  assertClose(shown.audio!, await predictInNode(data, 'audio'), 'audio head vs gblend predict --modalities audio');

  // gblend/web in Node, from the same server, on the WASM backend: every head.
  const model = await loadModel(`${server.url}model/`, { prefer: ['wasm'] });
  const inNode = await model.predict({ image: image.data as Uint8Array, audio: audio.data as Uint8Array });
  model.dispose();
  for (const h of ['image', 'audio', 'fused']) assertClose(shown[h]!, inNode.perHead[h]![0]!, `${h}: browser vs gblend/web in Node`);
  assert.deepEqual(inNode.heads, ['fused']);

  // Recording replaces the uploaded sound: new audio features, a new prediction.
  const count = Number(await page.getAttribute('body', 'data-predictions'));
  await page.click('#record');
  await waitForPredictions(page, count + 1);
  assert.match(await page.locator('#audio-status').innerText(), /^recording: \d\.\d\d s at \d+ Hz$/);
  assert.notDeepEqual((await shownProbabilities(page)).audio, shown.audio);
  assert.deepEqual(errors, []);
  await page.close();
});
