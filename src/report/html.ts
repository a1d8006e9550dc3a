/**
 * One self-contained HTML page per comparison: the results table, and per method the curves that
 * show which modality overfits (train loss on T' against validation loss on V, per head), the
 * blend weights over training, and every OGR estimate. Pure: data in, string out.
 *
 * report.html draws each curve as mean ± std over all seeds with uPlot (inlined, interactive); the
 * live page of `compare --serve` draws the same charts (bandSection) from the logs written so far.
 */
import type { BlendEstimateEvent } from '../train/events.js';
import { methodCharts, seedCountNote } from './band-charts.js';
import type { BandChart, SeedRun } from './band-series.js';
import { errorCurvesChart } from './error-curves.js';
import type { SnapshotSummary } from './snapshot-chart.js';
import { CHART_STYLE, chartPageScript } from './chart-page-script.js';
import type { Diagnosis } from '../train/diagnose.js';
import { diagnosisSection } from './diagnosis-html.js';
import type { Results } from './results.js';
import { formatVsNaive, signed } from './table.js';
import { escapeHtml as esc, jsonForScript, scriptSafe } from './escape-html.js';
import type { ChartLibrary } from './uplot-assets.js';

/** The report's CSS, shared with the live page (live-page.ts). */
export const REPORT_STYLE = `body { font-family: sans-serif; margin: 2em; color: #222; max-width: 1500px; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th { background: #f4f4f4; }
small { color: #666; font-weight: normal; }
`;

const pct = (x: number): string => (100 * x).toFixed(1);
const num = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));

export function resultsTable(results: Results): string {
  const heads = [...results.modalities, 'fused'];
  const rows = Object.entries(results.methods).map(([method, r]) => {
    const last = r.weights[r.weights.length - 1] ?? {};
    const incomplete = results.interrupted?.missing.some((m) => m.startsWith(`${method} seed `)) === true;
    const cells = [
      incomplete ? `${esc(method)} <small>(unfinished seeds)</small>` : esc(method),
      r.seeds.length > 1 ? `${pct(r.test_acc.mean)} ± ${pct(r.test_acc.std)}` : pct(r.test_acc.mean),
      pct(r.test_macro_f1.mean),
      ...heads.map((h) => (r.heads[h] ? pct(r.heads[h]!.mean) : '')),
      esc(formatVsNaive(r)),
      Object.keys(last).length > 1 ? heads.filter((h) => h in last).map((h) => last[h]!.toFixed(2)).join(' / ') : '',
      r.seconds.mean.toFixed(0),
    ];
    return `<tr>${cells.map((c, i) => (i === 0 ? `<th>${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`;
  });
  const header = ['method', 'test top-1 %', 'macro-F1 %', ...heads.map((h) => `${esc(h)} head %`), 'Δ naive (p)', `last weights (${heads.map(esc).join(' / ')})`, 'sec/run'];
  return `<table><tr>${header.map((h) => `<th>${h}</th>`).join('')}</tr>${rows.join('')}</table>`;
}

function estimateTable(estimates: BlendEstimateEvent[]): string {
  const rows = estimates.flatMap((e) =>
    Object.entries(e.heads).map(([h, x], i) => `<tr>${i === 0 ? `<td rowspan="${Object.keys(e.heads).length}">${e.epoch} (+${e.epochs})${e.fallback !== 'none' ? `<br><small>${esc(e.fallback)}: ${esc(e.note ?? '')}</small>` : ''}</td>` : ''}` +
      `<th>${esc(h)}</th>${[x.lt0, x.lv0, x.lt1, x.lv1, x.dG, x.dO, x.ogr, x.floor, x.raw].map((v) => `<td>${num(v)}</td>`).join('')}<td><b>${num(x.w, 3)}</b></td></tr>`),
  );
  return `<table><tr><th>epoch N (+n)</th><th>head</th><th>LT<sub>N</sub></th><th>LV<sub>N</sub></th><th>LT<sub>N+n</sub></th><th>LV<sub>N+n</sub></th><th>dG</th><th>dO</th><th>OGR</th><th>floor</th><th>raw</th><th>w</th></tr>${rows.join('')}</table>`;
}

/** Figure 5b in words, under the charts. */
function snapshotNote(s: SnapshotSummary): string {
  const d = signed(s.meanDifference, 1);
  return `<p class="snapshot">From the same snapshot (the paper's Figure 5b): at the end of ${s.comparisons} estimate${s.comparisons === 1 ? '' : 's'} over all seeds, ` +
    `this run's fused head was ahead of naive fusion trained from the same snapshot for the same epochs (the estimate's fused copy, with a fresh optimizer) in ${s.gblendAhead}` +
    `${s.ties > 0 ? ` (tied in ${s.ties})` : ''}, by ${d} points of V accuracy on average; its V loss was lower in ${s.lossLower} of ${s.comparisons} ` +
    `(mean difference ${signed(s.meanLossDifference, 3)}).</p>`;
}

/** A method's runs for report.html: the seeds whose logs were read, and those whose logs are missing. */
export interface MethodRuns {
  runs: SeedRun[];
  missingSeeds: number[];
}

const seedList = (seeds: number[]): string => `seed${seeds.length === 1 ? '' : 's'} ${seeds.join(', ')}`;

/**
 * A method's section of report.html and of the live page: placeholders for its charts (added to
 * `charts` under their ids, for the page's script to draw) and its OGR estimates per seed as plain
 * tables. `note`: HTML under the heading (the live page's run status).
 */
export function bandSection(method: string, { runs, missingSeeds }: MethodRuns, charts: Map<string, BandChart>, note = ''): string {
  const drawn = methodCharts(runs);
  const placeholders = drawn.charts.map((chart) => {
    const id = `chart-${charts.size}`;
    charts.set(id, chart);
    return `<div class="chart" data-chart="${id}"></div>`;
  });
  const seeds = runs.map((r) => r.seed);
  const over = seeds.length === 1 ? `seed ${seeds[0]}` : `mean ± std over ${seeds.length} seeds: ${seeds.join(', ')}`;
  const early = seedCountNote(drawn.epochs, drawn.seedsPerEpoch);
  const notes = [
    early === null ? '' : `Some runs stopped early; each epoch averages the seeds that reached it (${early}).`,
    missingSeeds.length === 0 ? '' : `No run log for ${seedList(missingSeeds)}: not drawn.`,
  ].filter((n) => n !== '');
  const estimates = runs.map((r) => ({ seed: r.seed, list: r.events.filter((e): e is BlendEstimateEvent => e.event === 'blend_estimate') })).filter((r) => r.list.length > 0);
  // One table per seed; folded after the first, so that many seeds do not bury the next method.
  const tables = estimates.map((r, i) => `<details${i === 0 ? ' open' : ''}><summary>seed ${r.seed}</summary>${estimateTable(r.list)}</details>`).join('');
  return `<section data-method="${esc(method)}"><h3>${esc(method)} <small>(${over})</small></h3>${note}` +
    `${notes.map((n) => `<p class="seed-note"><small>${esc(n)}</small></p>`).join('')}` +
    `<div class="charts">${placeholders.join('')}</div>${drawn.snapshot === null ? '' : snapshotNote(drawn.snapshot)}${tables === '' ? '' : `<h4>OGR estimates</h4>${tables}`}</section>`;
}

/**
 * `runs` maps each method to its runs' logs, all seeds; `chartLibrary` is uPlot's script and CSS
 * (uplotLibrary()), inlined so the page is one file that needs no network.
 */
/** `diagnosis`: what `gblend diagnose --out DIR/diagnosis.json` wrote beside the results, shown before the curves. */
export function htmlReport(results: Results, runs: Map<string, MethodRuns>, chartLibrary: ChartLibrary, diagnosis: Diagnosis | null = null): string {
  // Absent in results.json files written before the config was recorded.
  const c = results.config as Results['config'] | undefined;
  const seeds = Object.values(results.methods)[0]?.seeds.length ?? 0;
  const charts = new Map<string, BandChart>();
  const sections = [...runs].map(([method, r]) => bandSection(method, r, charts)).join('');
  // Drawn first on the page; its id is only a key, the page draws every placeholder it finds.
  charts.set('chart-errors', errorCurvesChart(new Map([...runs].map(([m, r]) => [m, r.runs]))));
  const chartJson = jsonForScript(Object.fromEntries(charts));
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>gblend: ${esc(results.dataset)}</title><link rel="icon" href="data:,">
<style>
${chartLibrary.css}
${REPORT_STYLE}${CHART_STYLE}.interrupted { background: #fff3cd; border: 1px solid #e0c36c; padding: 0.5em 1em; }
</style></head><body>
<h1>gblend comparison: ${esc(results.dataset)}</h1>
<p>${results.modalities.map(esc).join(' + ')}; ${results.epochs} epochs; ${seeds} seed${seeds === 1 ? '' : 's'}; backend ${esc(results.backend)} (${results.threads} thread${results.threads === 1 ? '' : 's'})${c === undefined ? '' : `;
optimizer ${esc(c.optimizer.kind)} lr ${c.optimizer.lr}, batch ${c.batchSize}; G-Blend blend ${esc(c.blend.mode)}, floor ${esc(c.blend.floor)}${c.blend.floor === 'se' ? ` (z ${c.blend.z})` : ''}, metric ${esc(c.blend.metric)}`}.</p>
${results.interrupted ? `<p class="interrupted"><strong>Interrupted comparison:</strong> ${results.interrupted.finished} of ${results.interrupted.total} runs finished; not finished: ${results.interrupted.missing.map(esc).join(', ')}. The table and the curves show finished runs only; <code>gblend compare --resume</code> with the same options completes it.</p>` : ''}
<h2>Test results</h2>
<p>Top-1 of the head each method predicts with (fused, or the single head of uni:&lt;m&gt;), mean ± std over seeds; per-head columns are the mean test top-1 of every head the method trained.</p>
${resultsTable(results)}
${diagnosis === null ? '' : diagnosisSection(diagnosis)}<h2>Training curves</h2>
<p>Losses are measured after each epoch in inference mode on T' (a fixed training subset) and on V (held out from training; the test set is never used here). A head whose V loss stops falling while its T' loss keeps falling is overfitting: its gap O = LV − LT grows. Gradient-Blending weights each head by dG/dO² from such measurements.</p>
<p>Each curve is the mean over a method's seeds, in a band of ± one standard deviation (sample std, n − 1). Hover a chart to read mean ± std and n, the seeds that reached that epoch; click a legend entry to hide or show its curve; drag across a chart to zoom, double-click to zoom back out.</p>
<noscript><p><strong>The charts need JavaScript;</strong> the tables read without it.</p></noscript>
<h3>Every method</h3>
<p>Which model overfits, and when (the paper's Figure 4): the error of each method's predicting head on T' and on V. A model whose V error stops falling, or rises, while its T' error keeps falling overfits.</p>
<div class="charts"><div class="chart" data-chart="chart-errors"></div></div>
${sections}
<script type="application/json" id="report-charts">${chartJson}</script>
<script>${scriptSafe(chartLibrary.js)}</script>
<script>${chartPageScript('report-charts')}</script>
</body></html>
`;
}
