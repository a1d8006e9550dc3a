/**
 * Inference latency per example of a saved model: in headless Chromium on WebGL and on WASM (the
 * exported page's backends), beside the same model in Node (gblend/web on WASM, and gblend's own
 * predict path on the native backend). One example per call, as a page predicts one drawing at a
 * time: the time covers building the input tensors, the graph and reading the probabilities back.
 *
 *   npm run bench:web                       # trains a small avdigits model first (about 10 s)
 *   npm run bench:web -- --model DIR        # a model saved by gblend train
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { exportWebPage } from '../src/api/export-web.js';
import { initEngine } from '../src/engine/index.js';
import { runHeads } from '../src/models/predict-heads.js';
import { loadModel as loadSaved } from '../src/models/saved-model.js';
import { loadModel, type ModelInputs } from '../src/web/index.js';
import { CHROMIUM } from '../test/helpers/chromium.js';
import { serveFolder } from '../test/helpers/static-server.js';

const WARMUP = 20;
const ITERATIONS = 200;
const ROOT = new URL('../../', import.meta.url).pathname;

/** The same timing loop in the page and in Node: median and 90th percentile in ms. */
const TIMING_LOOP = `async function timeIt(run, warmup, n) {
  for (let i = 0; i < warmup; i++) await run();
  const t = [];
  for (let i = 0; i < n; i++) { const t0 = performance.now(); await run(); t.push(performance.now() - t0); }
  t.sort((a, b) => a - b);
  return { median: t[Math.floor(n / 2)], p90: t[Math.floor(n * 0.9)] };
}`;
const timeIt = new Function(`${TIMING_LOOP}; return timeIt;`)() as (run: () => Promise<unknown>, warmup: number, n: number) => Promise<{ median: number; p90: number }>;

/** One example per modality, fixed values in the data's range. */
const EXAMPLE = `(meta) => Object.fromEntries(meta.modalities.map((m) => [m.name, Float32Array.from({ length: m.shape.reduce((a, b) => a * b, 1) }, (_, i) => (i * 37) % 256)]))`;
const example = new Function(`return ${EXAMPLE};`)() as (meta: { modalities: { name: string; shape: number[] }[] }) => ModelInputs;

const BENCH_PAGE = `<!doctype html><meta charset="utf-8"><title>gblend latency</title><script type="module">
import { loadModel } from './gblend-web.js';
${TIMING_LOOP}
const backend = new URLSearchParams(location.search).get('backend');
const model = await loadModel('./model/', { prefer: [backend] });
const inputs = (${EXAMPLE})(model.meta);
window.benchResult = { backend: model.backend, ...(await timeIt(() => model.predict(inputs), ${WARMUP}, ${ITERATIONS})) };
</script>`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' } } });
  const dir = await mkdtemp(join(tmpdir(), 'gblend-bench-web-'));
  let modelDir = values.model;
  if (modelDir === undefined) {
    modelDir = join(dir, 'model');
    process.stderr.write('training a small avdigits model (aux, 2 epochs)...\n');
    execFileSync(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'train', '--method', 'aux', '--epochs', '2', '--out', modelDir, '--quiet'], { stdio: 'inherit' });
  }
  const page = join(dir, 'page');
  await exportWebPage(modelDir, page);
  await copyFile(join(ROOT, 'dist/src/web/page/gblend-web.js'), join(page, 'gblend-web.js'));
  await writeFile(join(page, 'bench.html'), BENCH_PAGE);
  const server = await serveFolder(page);
  const rows: [string, string, { median: number; p90: number }][] = [];
  const browser = await chromium.launch({ executablePath: CHROMIUM });
  for (const backend of ['webgl', 'wasm']) {
    const tab = await browser.newPage();
    await tab.goto(`${server.url}bench.html?backend=${backend}`);
    const r = (await (await tab.waitForFunction(() => (window as unknown as { benchResult?: unknown }).benchResult, undefined, { timeout: 120_000 })).jsonValue()) as { backend: string; median: number; p90: number };
    rows.push(['Chromium (headless)', r.backend, r]);
    await tab.close();
  }
  await browser.close();

  const web = await loadModel(`${server.url}model/`, { prefer: ['wasm'] });
  const inputs = example(web.meta);
  rows.push(['Node, gblend/web', web.backend, await timeIt(() => web.predict(inputs), WARMUP, ITERATIONS)]);
  web.dispose();
  await server.close();
  const engine = await initEngine({ backend: 'auto' });
  const saved = await loadSaved(modelDir);
  rows.push(['Node, gblend predict path', engine.backend, await timeIt(() => runHeads(saved, inputs, 1, 'bench'), WARMUP, ITERATIONS)]);
  saved.graph.dispose();

  process.stdout.write(`Latency per example (one example per call, ${ITERATIONS} calls after ${WARMUP} warm-up), model ${modelDir}:\n`);
  process.stdout.write(`${'where'.padEnd(28)}${'backend'.padEnd(10)}${'median ms'.padStart(10)}${'p90 ms'.padStart(10)}\n`);
  for (const [where, backend, t] of rows) process.stdout.write(`${where.padEnd(28)}${backend.padEnd(10)}${t.median.toFixed(2).padStart(10)}${t.p90.toFixed(2).padStart(10)}\n`);
}

await main();
