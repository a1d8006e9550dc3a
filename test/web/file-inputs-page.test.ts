/**
 * The exported page for a dataset other than avdigits: each modality comes as a file (.npy, or CSV rows
 * with a header), the person picks an example, and the page shows what `gblend predict` gives for it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { serializeNpy } from '../../src/data/npy.js';
import { CHROMIUM, skipWithoutChromium } from '../helpers/chromium.js';
import { serveFolder } from '../helpers/static-server.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;
const gblend = (...args: string[]): Promise<{ stdout: string }> => run(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), ...args], { cwd: ROOT });
const skip = skipWithoutChromium();

test('exported page for other data: .npy and CSV files, an example index, the same probabilities as gblend predict', { skip, timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gblend-files-page-'));
  const data = join(dir, 'data');
  await mkdir(data);
  const ds = tinyDataset([{ name: 'vec', shape: [5], separation: 1.5 }, { name: 'grid', shape: [4, 4], separation: 1 }], 10, 3);
  const [vec, grid] = ds.modalities;
  await writeFile(join(data, 'grid.npy'), serializeNpy({ dtype: 'float32', shape: [ds.labels.length, 4, 4], data: grid!.data }));
  await writeFile(join(data, 'labels.npy'), serializeNpy({ dtype: 'int32', shape: [ds.labels.length], data: ds.labels }));
  const rows = Array.from({ length: ds.labels.length }, (_, r) => Array.from(vec!.data.subarray(r * 5, r * 5 + 5)).join(','));
  await writeFile(join(dir, 'vec.csv'), ['a,b,c,d,e', ...rows].join('\n'));
  await writeFile(join(data, 'vec.npy'), serializeNpy({ dtype: 'float32', shape: [ds.labels.length, 5], data: vec!.data }));
  await writeFile(join(data, 'dataset.json'), JSON.stringify({ name: 'tiny-files', classes: ds.classes, labels: 'labels.npy', modalities: { vec: { file: 'vec.npy' }, grid: { file: 'grid.npy' } } }));
  await gblend('train', '--data', data, '--method', 'aux', '--epochs', '3', '--out', join(dir, 'model'), '--quiet');
  await gblend('export', '--web', join(dir, 'page'), '--model', join(dir, 'model'));
  await gblend('predict', '--model', join(dir, 'model'), '--data', data, '--out', join(dir, 'pred.csv'));
  const expected = (await readFile(join(dir, 'pred.csv'), 'utf8')).trim().split('\n')[1 + 7]!.split(',').slice(2).map(Number);

  const server = await serveFolder(join(dir, 'page'));
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('body[data-state=ready]', { timeout: 30_000 });
    assert.match(await page.locator('h1').innerText(), /tiny-files \(vec \+ grid\)/);
    await page.setInputFiles('#file-vec', join(dir, 'vec.csv'));
    await page.setInputFiles('#file-grid', join(data, 'grid.npy'));
    // Both files read: the fused head shows; then the person picks example 7.
    await page.waitForSelector('#head-probabilities tr[data-head="fused"]', { timeout: 20_000 });
    const before = Number(await page.getAttribute('body', 'data-predictions'));
    await page.fill('#example-index', '7');
    await page.dispatchEvent('#example-index', 'change');
    await page.waitForFunction((n) => Number(document.body.dataset.predictions) > n, before, { timeout: 20_000 });
    const shown = await page.$$eval('#head-probabilities tr[data-head="fused"] td', (tds) => tds.map((td) => Number(td.getAttribute('data-p'))));
    assert.equal(shown.length, 3);
    shown.forEach((p, i) => assert.ok(Math.abs(p - expected[i]!) < 1e-4, `class ${i}: page ${p}, gblend predict ${expected[i]}`));
    // A row that is no row number is refused with a message, not read between two examples.
    for (const bad of ['-1', '1.5']) {
      await page.fill('#example-index', bad);
      await page.dispatchEvent('#example-index', 'change');
      await page.waitForFunction((b) => document.getElementById('error')?.textContent?.includes(`${b} is not a row number`), bad, { timeout: 5_000 });
    }
  } finally {
    await browser.close();
    await server.close();
  }
});
