/**
 * The live page of `gblend compare --serve`: a shell that polls for a fragment, and the fragment,
 * built from the run logs as they are so far with the same charts and tables as report.html.
 * Pure: data in, strings out.
 */
import type { RunEvent } from '../train/events.js';
import { methodSection, REPORT_STYLE, resultsTable } from './html.js';
import type { Results } from './results.js';
import { escapeHtml as esc } from './svg-chart.js';

export interface LiveRun {
  /** The log's run name (method_seedN). */
  name: string;
  events: RunEvent[];
  /** True while the log is still being written (its .partial file). */
  running: boolean;
}

/** The part of the page that changes: the results table once written, then every run's charts. */
export function liveFragment(results: Results | null, runs: LiveRun[]): string {
  const table = results === null ? '<p class="status">Training… the results table appears when every run has finished.</p>' : `<h2>Test results</h2>${resultsTable(results)}`;
  // What moves comes first: the running run, then the finished ones, latest first.
  const ordered = [...runs.filter((r) => r.running), ...runs.filter((r) => !r.running).reverse()];
  const sections = ordered.map((r) => {
    const start = r.events.find((e) => e.event === 'start');
    const method = start?.event === 'start' ? start.method : r.name;
    const epochs = r.events.filter((e) => e.event === 'epoch').length;
    const what = r.running ? (epochs === 0 ? 'running: waiting for the first epoch' : `running: ${epochs} epoch${epochs === 1 ? '' : 's'} so far`) : `finished, ${epochs} epochs`;
    const note = `<p class="${r.running ? 'status' : 'small'}" data-run="${esc(r.name)}" data-epochs="${epochs}">${what}</p>`;
    // Charts without a single epoch would only say "no data".
    return epochs === 0 ? `<section><h3>${esc(method)}</h3>${note}</section>` : methodSection(method, r.events, note);
  });
  return `${table}<h2>Runs</h2>${sections.length === 0 ? '<p class="status">Waiting for the first epoch…</p>' : sections.join('')}`;
}

/** The page itself: it asks for the fragment every `everyMs` and stops asking once training is done. */
export function livePage(title: string, everyMs = 1500): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title><link rel="icon" href="data:,">
<style>${REPORT_STYLE}.status { color: #0a58ca; } #updated { color: #666; font-size: 0.9em; }</style></head><body>
<h1>${esc(title)}</h1>
<p id="updated">Connecting…</p>
<div id="live"></div>
<script>
async function refresh() {
  try {
    const response = await fetch('fragment', { cache: 'no-store' });
    const done = response.headers.get('x-gblend-done') === '1';
    document.getElementById('live').innerHTML = await response.text();
    document.getElementById('updated').textContent = (done ? 'Finished. ' : 'Live: updates every ${everyMs / 1000} s. ') + 'Last update ' + new Date().toLocaleTimeString() + '.';
    if (done) return;
  } catch (err) {
    document.getElementById('updated').textContent = 'gblend is not answering (training may have ended and the server stopped); retrying…';
  }
  setTimeout(refresh, ${everyMs});
}
refresh();
</script>
</body></html>
`;
}
