/**
 * report.html as a person opens it, in Debian's chromium from file://: no request leaves the page,
 * each band drawn is the mean ± std of the run logs (seeds that stopped early counted where they
 * have epochs), hovering shows it in the legend, and clicking a legend entry hides that curve and
 * its band. Without JavaScript the results table still reads.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ChartElement } from '../../src/report/chart-page-script.js';
import type { EpochEvent, RunEvent } from '../../src/train/events.js';
import { CHROMIUM, skipWithoutChromium } from '../helpers/chromium.js';
import { gblend } from '../helpers/cli.js';

const skip = skipWithoutChromium();
let browser: Browser | null = null;
let reportUrl = '';

/** Seeds 0 and 1 train 4 epochs; seed 2 stops after 2 (as early-stop does). */
const EPOCHS_PER_SEED = [4, 4, 2];
const HEADS = ['a', 'b', 'fused'];
/** A made-up V loss of head h at an epoch of a seed: uneven across seeds, so the std is not trivial. */
const valLoss = (seed: number, epoch: number, h: number): number => 1.5 / epoch + 0.1 * h + 0.07 * seed * seed + 0.013 * epoch * seed;
const trainLoss = (seed: number, epoch: number, h: number): number => 1.2 / epoch + 0.05 * h - 0.02 * seed;

function runLog(method: string, seed: number, epochs: number, heads = HEADS): RunEvent[] {
  const epochEvents: EpochEvent[] = Array.from({ length: epochs }, (_, i) => ({
    event: 'epoch', epoch: i + 1, seconds: 1,
    weights: heads.length === 1 ? { a: 1 } : { a: 0.2 + 0.05 * seed, b: 0.3, fused: 0.5 - 0.05 * seed },
    heads: Object.fromEntries(heads.map((h, j) => [h, { train_loss: trainLoss(seed, i + 1, j), val_loss: valLoss(seed, i + 1, j), train_acc: 0.5, val_acc: 0.5 }])),
  }));
  return [
    { event: 'start', method, seed, dataset: 'hand-made', modalities: ['a', 'b'], heads, backend: 'cpu', threads: 1, sizes: { train: 10, val: 5, probe: 5, test: 5 }, config: {} },
    ...epochEvents,
    { event: 'test', heads: Object.fromEntries(heads.map((h) => [h, { acc: 0.5, macro_f1: 0.5 }])) },
  ];
}

const aggregate = (values: number[]): { mean: number; std: number; values: number[] } => ({ mean: values[0]!, std: 0, values });

before(async () => {
  if (skip) return;
  // An older results.json: no config, no vs_naive, no time_vs_naive; one method with a single seed.
  const dir = await mkdtemp(join(tmpdir(), 'gblend-report-page-'));
  await mkdir(join(dir, 'runs'));
  const method = (seeds: number[], heads: string[]): object => ({
    seeds, test_acc: aggregate(seeds.map(() => 0.5)), test_macro_f1: aggregate(seeds.map(() => 0.5)),
    heads: Object.fromEntries(heads.map((h) => [h, aggregate(seeds.map(() => 0.5))])), weights: seeds.map(() => ({})), seconds: aggregate(seeds.map(() => 1)),
  });
  await writeFile(join(dir, 'results.json'), JSON.stringify({
    dataset: 'hand-made', modalities: ['a', 'b'], epochs: 4, backend: 'cpu', threads: 1,
    methods: { 'early-stop': method([0, 1, 2], HEADS), 'uni:a': method([0], ['a']) },
  }));
  for (const [seed, epochs] of EPOCHS_PER_SEED.entries()) {
    await writeFile(join(dir, 'runs', `early-stop_seed${seed}.jsonl`), runLog('early-stop', seed, epochs).map((e) => JSON.stringify(e)).join('\n'));
  }
  await writeFile(join(dir, 'runs', 'uni-a_seed0.jsonl'), runLog('uni:a', 0, 3, ['a']).map((e) => JSON.stringify(e)).join('\n'));
  const r = gblend('report', dir);
  assert.equal(r.code, 0, r.stderr);
  reportUrl = pathToFileURL(join(dir, 'report.html')).href;
  browser = await chromium.launch({ executablePath: CHROMIUM });
});

after(async () => {
  await browser?.close();
});

/** Mean and sample std (n − 1), written out here rather than taken from the code under test. */
function meanAndStd(values: number[]): [number, number] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return [mean, values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0];
}

const LOSS_CHART = 'section[data-method="early-stop"] [data-chart]';

/** The loss chart of early-stop: its series labels, the data uPlot draws, and which series are shown. */
async function lossChart(page: Page): Promise<{ labels: string[]; data: (number | null)[][]; shown: boolean[] }> {
  return page.$eval(LOSS_CHART, (el) => {
    const u = (el as ChartElement).uplot!;
    return { labels: u.series.map((s) => String(s.label)), data: u.data.map((d) => Array.from(d as ArrayLike<number | null>)), shown: u.series.map((s) => s.show !== false) };
  });
}

test('report.html: offline, bands equal mean ± std of the logs, legend shows and hides', { skip, timeout: 60_000 }, async () => {
  const page = await browser!.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(reportUrl);
  await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-chart]')).every((el) => (el as ChartElement).uplot !== undefined));
  // Every method's error curves (Figure 4); early-stop: loss, overfitting and weights; uni:a: loss and overfitting.
  assert.equal(await page.locator('[data-chart] canvas').count(), 6);
  const errors4 = await page.$eval('[data-chart="chart-errors"]', (el) => (el as ChartElement).uplot!.series.map((s) => String(s.label)));
  assert.ok(errors4.includes('early-stop V') && errors4.includes("uni:a T'"), errors4.join(', '));
  assert.deepEqual(requests.filter((u) => u !== reportUrl && !u.startsWith('data:')), [], 'the page asked for nothing beyond itself');
  assert.match(await page.locator('section[data-method="early-stop"] h3').innerText(), /mean ± std over 3 seeds: 0, 1, 2/);
  assert.match(await page.locator('.seed-note').innerText(), /epochs 1–2: 3 seeds; 3–4: 2/);

  const { labels, data } = await lossChart(page);
  assert.deepEqual(data[0], [1, 2, 3, 4]);
  const at = labels.indexOf('b V');
  assert.deepEqual(labels.slice(at, at + 3), ['b V', 'b V + std', 'b V − std']);
  for (const [i, epoch] of [1, 2, 3, 4].entries()) {
    const seeds = EPOCHS_PER_SEED.map((n, seed) => (epoch <= n ? seed : -1)).filter((s) => s >= 0);
    const [mean, std] = meanAndStd(seeds.map((s) => valLoss(s, epoch, 1)));
    assert.ok(std > 0, 'the seeds differ');
    for (const [offset, expected] of [[0, mean], [1, mean + std], [2, mean - std]] as const) {
      const drawn = data[at + offset]![i]!;
      assert.ok(Math.abs(drawn - expected) < 1e-12, `${labels[at + offset]} at epoch ${epoch}: drawn ${drawn}, logs give ${expected}`);
    }
  }

  // Hovering epoch 4 shows mean ± std in the legend, averaged over the 2 seeds that reached it.
  const chart = page.locator(LOSS_CHART).first();
  // Below the wide chart of every method: bring it into view, or the mouse cannot reach it.
  await chart.scrollIntoViewIfNeeded();
  const x = await chart.evaluate((el) => (el as ChartElement).uplot!.valToPos(4, 'x'));
  let over = (await chart.locator('.u-over').boundingBox())!;
  // Epoch 4 is the right edge of the plot: a pixel inside it, the cursor snaps to the nearest epoch.
  await page.mouse.move(over.x + x - 1, over.y + over.height / 2, { steps: 4 });
  const [mean4, std4] = meanAndStd([0, 1].map((s) => valLoss(s, 4, 1)));
  const row = chart.locator('.u-legend tr.u-series', { hasText: 'b V' }).first();
  const value = row.locator('.u-value');
  await value.filter({ hasNotText: '–' }).waitFor({ timeout: 5000 });
  assert.equal(await value.innerText(), `${mean4.toFixed(4)} ± ${std4.toFixed(4)} (n=2)`);

  // Clicking the legend entry hides the curve and both edges of its band.
  await row.locator('th').click();
  const after = await lossChart(page);
  assert.deepEqual(after.shown.slice(at, at + 3), [false, false, false]);
  assert.equal(after.shown.filter((s) => !s).length, 3, 'only that curve and its band');
  assert.match((await row.getAttribute('class')) ?? '', /u-off/);
  // Band edges are not legend entries of their own.
  assert.equal(await chart.locator('.u-legend tr.u-series:visible', { hasText: '+ std' }).count(), 0);

  // Dragging across epochs 2 to 3 zooms in; a double-click zooms back out.
  const xRange = (): Promise<[number, number]> => chart.evaluate((el) => {
    const { min, max } = (el as ChartElement).uplot!.scales.x!;
    return [min!, max!];
  });
  const pos = (epoch: number): Promise<number> => chart.evaluate((el, e) => (el as ChartElement).uplot!.valToPos(e, 'x'), epoch);
  // Measured again: clicking the legend may have scrolled the page.
  over = (await chart.locator('.u-over').boundingBox())!;
  await page.mouse.move(over.x + (await pos(2)), over.y + 20);
  await page.mouse.down();
  await page.mouse.move(over.x + (await pos(3)), over.y + 20, { steps: 5 });
  await page.mouse.up();
  const [zoomMin, zoomMax] = await xRange();
  assert.ok(zoomMin > 1.5 && zoomMax < 3.5, `zoomed to ${zoomMin}..${zoomMax}`);
  await page.mouse.dblclick(over.x + over.width / 2, over.y + 20);
  assert.deepEqual(await xRange(), [1, 4]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('report.html without JavaScript: the results table still reads', { skip, timeout: 30_000 }, async () => {
  const context = await browser!.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(reportUrl);
  const table = await page.locator('table').first().innerText();
  assert.match(table, /Δ naive \(p\)/);
  assert.match(table, /early-stop[\s\S]*uni:a/);
  assert.match(await page.locator('body').innerText(), /The charts need JavaScript/);
  await context.close();
});
