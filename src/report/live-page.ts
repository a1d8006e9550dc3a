/**
 * The live page of `gblend compare --serve`: a shell that polls for a fragment, and the fragment,
 * built from the run logs as they are so far with the same charts as report.html (every method's
 * curves as mean ± std over the seeds logged so far, drawn by uPlot) and the same tables.
 * Pure: data in, strings out.
 */
import type { RunEvent } from '../train/events.js';
import type { BandChart, SeedRun } from './band-series.js';
import { CHART_STYLE, drawBandCharts } from './chart-page-script.js';
import { errorCurvesChart } from './error-curves.js';
import { escapeHtml as esc, jsonForScript, scriptSafe } from './escape-html.js';
import { bandSection, REPORT_STYLE, resultsTable } from './html.js';
import type { Results } from './results.js';
import type { ChartLibrary } from './uplot-assets.js';

export interface LiveRun {
  /** The log's run name (method_seedN). */
  name: string;
  events: RunEvent[];
  /** True while the log is still being written (its .partial file). */
  running: boolean;
}

interface Described extends LiveRun {
  method: string;
  seed: number;
  epochs: number;
}

function describe(run: LiveRun): Described {
  const start = run.events.find((e) => e.event === 'start');
  const fromName = /^(.*)_seed(\d+)$/.exec(run.name);
  const method = start?.event === 'start' ? start.method : fromName?.[1] ?? run.name;
  const seed = start?.event === 'start' ? start.seed : Number(fromName?.[2] ?? 0);
  return { ...run, method, seed, epochs: run.events.filter((e) => e.event === 'epoch').length };
}

function runStatus(r: Described): string {
  const what = r.running ? (r.epochs === 0 ? 'running: waiting for the first epoch' : `running: ${r.epochs} epoch${r.epochs === 1 ? '' : 's'} so far`) : `finished, ${r.epochs} epochs`;
  return `<p class="${r.running ? 'status' : 'small'}" data-run="${esc(r.name)}" data-epochs="${r.epochs}">seed ${r.seed}: ${what}</p>`;
}

/**
 * The part of the page that changes: the results table once written, Figure 4 over every method, then
 * per method its runs' status and charts. The charts' data rides along as JSON (#live-charts).
 */
export function liveFragment(results: Results | null, runs: LiveRun[]): string {
  const table = results === null ? '<p class="status">Training… the results table appears when every run has finished.</p>' : `<h2>Test results</h2>${resultsTable(results)}`;
  // What moves comes first: methods with a running run, then the others, latest first.
  const described = runs.map(describe);
  const ordered = [...described.filter((r) => r.running), ...described.filter((r) => !r.running).reverse()];
  const methods = new Map<string, Described[]>();
  for (const r of ordered) methods.set(r.method, [...(methods.get(r.method) ?? []), r]);
  const charts = new Map<string, BandChart>();
  const drawn = new Map<string, SeedRun[]>();
  const sections = [...methods].map(([method, list]) => {
    const notes = [...list].sort((a, b) => a.seed - b.seed).map(runStatus).join('');
    // Charts without a single epoch would only say "no data".
    const withEpochs = list.filter((r) => r.epochs > 0).sort((a, b) => a.seed - b.seed).map((r) => ({ seed: r.seed, events: r.events }));
    if (withEpochs.length === 0) return `<section data-method="${esc(method)}"><h3>${esc(method)}</h3>${notes}</section>`;
    drawn.set(method, withEpochs);
    return bandSection(method, { runs: withEpochs, missingSeeds: [] }, charts, notes);
  });
  let errors = '';
  if (drawn.size > 0) {
    charts.set('chart-errors', errorCurvesChart(drawn));
    errors = '<h2>Every method</h2><div class="charts"><div class="chart" data-chart="chart-errors"></div></div>';
  }
  return `${table}${errors}<h2>Runs</h2>${sections.length === 0 ? '<p class="status">Waiting for the first epoch…</p>' : sections.join('')}` +
    `<script type="application/json" id="live-charts">${jsonForScript(Object.fromEntries(charts))}</script>`;
}

/**
 * The page itself: it asks for the fragment every `everyMs`, redraws the charts when it changed, and
 * stops asking once training is done. uPlot is inlined, as in report.html: nothing else is fetched.
 */
export function livePage(title: string, chartLibrary: ChartLibrary, everyMs = 1500): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title><link rel="icon" href="data:,">
<style>
${chartLibrary.css}
${REPORT_STYLE}${CHART_STYLE}.status { color: #0a58ca; } #updated { color: #666; font-size: 0.9em; }</style></head><body>
<h1>${esc(title)}</h1>
<p id="updated">Connecting…</p>
<div id="live"></div>
<script>${scriptSafe(chartLibrary.js)}</script>
<script>
const drawBandCharts = ${scriptSafe(drawBandCharts.toString())};
let shown = null;
async function refresh() {
  let done = false;
  let text = '';
  try {
    const response = await fetch('fragment', { cache: 'no-store' });
    done = response.headers.get('x-gblend-done') === '1';
    text = await response.text();
  } catch (err) {
    document.getElementById('updated').textContent = 'gblend is not answering (training may have ended and the server stopped); retrying…';
    setTimeout(refresh, ${everyMs});
    return;
  }
  let status = (done ? 'Finished. ' : 'Live: updates every ${everyMs / 1000} s. ') + 'Last update ' + new Date().toLocaleTimeString() + '.';
  if (text !== shown) {
    for (const chart of document.querySelectorAll('[data-chart]')) chart.uplot?.destroy();
    document.getElementById('live').innerHTML = text;
    shown = text;
    try {
      drawBandCharts(uPlot, JSON.parse(document.getElementById('live-charts').textContent));
    } catch (err) {
      status += ' The charts could not be drawn: ' + err.message;
    }
  }
  document.getElementById('updated').textContent = status;
  if (!done) setTimeout(refresh, ${everyMs});
}
refresh();
</script>
</body></html>
`;
}
