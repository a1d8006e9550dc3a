/**
 * `gblend compare --serve` as a person uses it: start a comparison, open the page in chromium, see a
 * run's curves while it trains, close the page, and find that training went on to the results table.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, skipWithoutChromium } from '../helpers/chromium.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const skip = skipWithoutChromium();
let child: ChildProcess | null = null;
let browser: Browser | null = null;

after(async () => {
  await browser?.close();
  if (child !== null && child.exitCode === null) child.kill('SIGINT');
});

/** Resolves with the first match of `pattern` in the child's stderr. */
function waitForStderr(proc: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in stderr after ${timeoutMs} ms:\n${text}`)), timeoutMs);
    proc.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = text.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    proc.on('exit', (code) => reject(new Error(`gblend exited with ${code} before ${pattern}:\n${text}`)));
  });
}

test('compare --serve: the page shows curves while a run trains; closing it does not stop training', { skip, timeout: 90_000 }, async () => {
  const out = join(await mkdtemp(join(tmpdir(), 'gblend-live-')), 'cmp');
  // 25 epochs: aux trains for several seconds on the native backend, so the page's polls (every 1.5 s)
  // find it mid-run; with 4 epochs both runs could finish between two polls (seen once in CI-like runs).
  child = spawn(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'compare', '--methods', 'uni:image,aux', '--epochs', '25', '--out', out, '--serve', '0', '--quiet'], { cwd: ROOT });
  const [url] = await waitForStderr(child, /http:\/\/127\.0\.0\.1:\d+\//, 30_000);
  const finished = waitForStderr(child, /The page stays at/, 80_000);
  browser = await chromium.launch({ executablePath: CHROMIUM });
  const page = await browser.newPage();
  await page.goto(url!);
  // aux still training, with at least one epoch drawn: its status says so, and its method's charts
  // are report.html's uPlot charts, drawn from the epochs logged so far. Read from one snapshot of
  // the page, which replaces its content when a poll brings new epochs.
  const handle = await page.waitForFunction(() => {
    const status = document.querySelector<HTMLElement>('section[data-method="aux"] p.status[data-run]:not([data-epochs="0"])');
    const section = status?.closest('section');
    if (!status || !section) return null;
    type Drawn = HTMLElement & { uplot?: { data: (number | null)[][]; series: { label?: string }[] } };
    const charts = Array.from(section.querySelectorAll<Drawn>('[data-chart]')).filter((c) => c.uplot !== undefined);
    const errors = document.querySelector<Drawn>('[data-chart="chart-errors"]')?.uplot;
    return JSON.stringify({
      status: status.textContent, epochs: Number(status.dataset.epochs), titles: Array.from(section.querySelectorAll('.u-title'), (t) => t.textContent),
      drawnEpochs: charts[0]?.uplot!.data[0]!.length ?? 0, labels: charts[0]?.uplot!.series.map((x) => x.label) ?? [], errorsDrawn: errors !== undefined,
    });
  }, undefined, { timeout: 30_000 });
  const seen = JSON.parse(String(await handle.jsonValue())) as { status: string; epochs: number; titles: string[]; drawnEpochs: number; labels: string[]; errorsDrawn: boolean };
  assert.match(seen.status, /running: \d+ epochs? so far/);
  assert.ok(seen.titles.some((t) => t.startsWith('loss on V')) && seen.titles.some((t) => t.startsWith('blend weights')), seen.titles.join(' | '));
  assert.equal(seen.drawnEpochs, seen.epochs, 'the loss chart has a point per epoch logged so far');
  assert.ok(seen.labels.includes('fused V') && seen.labels.includes("image T'"), seen.labels.join(', '));
  assert.ok(seen.errorsDrawn, "Figure 4's chart over every method is drawn");
  assert.match(await page.locator('#updated').innerText(), /Live/);
  await page.close();

  // The page is gone; training carries on to the end, and a new page shows the results table.
  await finished;
  await access(join(out, 'results.json'));
  const again = await browser.newPage();
  await again.goto(url!);
  await again.waitForFunction(() => document.getElementById('updated')?.textContent?.startsWith('Finished'), undefined, { timeout: 10_000 });
  assert.match(await again.locator('#live table').first().innerText(), /uni:image[\s\S]*aux/);
  assert.equal(await again.locator('[data-run]').count(), 2);
});
