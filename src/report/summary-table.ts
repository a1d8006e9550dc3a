/**
 * Tables across comparisons, one row per comparison folder, in Markdown: the paper's tables built from
 * what `gblend compare --out` wrote (`gblend table`). Pure: the caller reads the files.
 */
import { meanStd } from '../core/stats.js';
import { FUSED } from '../models/heads.js';
import type { BlendEstimateEvent } from '../train/events.js';
import { methodCharts } from './band-charts.js';
import type { SeedRun } from './band-series.js';
import type { SnapshotSummary } from './snapshot-chart.js';
import type { MethodResults, Results } from './results.js';
import { formatAccuracy, formatVsNaive, signed } from './table.js';

/** One comparison: the row's label (its folder's name) and its results. */
export interface ComparisonEntry {
  label: string;
  results: Results;
}

/** The column that picks, per row, the uni-modal method with the highest mean test top-1. */
export const BEST_UNI = 'best-uni';

function markdown(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** `95.3 ± 1.2 (+0.3, p 0.070)` (one seed: no ±); `withTime` adds the wall time over naive's: `; 2.81×`. */
function cell(r: MethodResults | undefined, withTime: boolean): string {
  if (r === undefined) return '–';
  const vs = formatVsNaive(r);
  const time = withTime && r.time_vs_naive != null ? `; ${r.time_vs_naive.toFixed(2)}×` : '';
  return `${formatAccuracy(r)}${vs === '-' ? '' : ` (${vs.replace(' (p ', ', p ').replace(/\)$/, '')})`}${time}`;
}

/** The uni-modal method with the highest mean test top-1, if the comparison has one. */
export function bestUni(results: Results): [string, MethodResults] | null {
  const unis = Object.entries(results.methods).filter(([name]) => name.startsWith('uni:'));
  if (unis.length === 0) return null;
  return unis.reduce((best, next) => (next[1].test_acc.mean > best[1].test_acc.mean ? next : best));
}

/**
 * Table 1/2 analogue: per comparison, each column's method as mean ± std over seeds, with the paired
 * difference to naive fusion and its p; `best-uni` names the strongest uni-modal method in the cell.
 */
export function methodsTable(entries: readonly ComparisonEntry[], columns: readonly string[], options: { time?: boolean; transpose?: boolean } = {}): string {
  const names = columns.map((c) => (c === BEST_UNI ? 'best single modality' : c));
  const cells = entries.map(({ results }) => columns.map((c) => {
    if (c !== BEST_UNI) return cell(results.methods[c], options.time === true);
    const best = bestUni(results);
    return best === null ? '–' : `${best[0].slice('uni:'.length)} ${cell(best[1], options.time === true)}`;
  }));
  // Transposed: a row per method, a column per comparison, as the paper's Table 5.
  if (options.transpose === true) return markdown(['method', ...entries.map((e) => e.label)], names.map((name, j) => [name, ...cells.map((row) => row[j]!)]));
  return markdown(['comparison', ...names], entries.map((e, i) => [e.label, ...cells[i]!]));
}

/** A comparison's estimates of one method, per seed in order (its run logs), for the weights table. */
export interface EstimateEntry {
  label: string;
  estimates: BlendEstimateEvent[][];
}

/** Nearly all the weight on one head: the collapse method.md section 8 warns of. */
const DOMINANT = 0.9;
/** A fused head weighted this little is all but switched off. */
const STARVED = 0.01;

/**
 * Table 4 analogue: per comparison, the first estimate's weights per head (mean ± std over seeds) and
 * mean OGR; and, over every estimate of every seed, how often one head took ≥ 0.9 of the weight and
 * how often the fused head got ≤ 0.01.
 */
export function weightsTable(entries: readonly EstimateEntry[]): string {
  const rows = entries.map(({ label, estimates }) => {
    const firstEstimates = estimates.flatMap((list) => list.slice(0, 1));
    const all = estimates.flat();
    if (firstEstimates.length === 0) return [label, '–', '–', '0', '–'];
    const heads = Object.keys(firstEstimates[0]!.weights);
    const weights = heads.map((h) => {
      const { mean, std } = meanStd(firstEstimates.map((e) => e.weights[h] ?? 0));
      return `${h} ${mean.toFixed(2)} ± ${std.toFixed(2)}`;
    });
    const ogr = heads.map((h) => {
      const values = firstEstimates.map((e) => e.heads[h]?.ogr).filter((v): v is number => typeof v === 'number');
      return `${h} ${values.length === 0 ? '–' : meanStd(values).mean.toFixed(3)}`;
    });
    const dominant = all.filter((e) => Math.max(...Object.values(e.weights)) >= DOMINANT).length;
    const starved = all.filter((e) => FUSED in e.weights && e.weights[FUSED]! <= STARVED).length;
    return [label, weights.join(', '), ogr.join(', '), String(firstEstimates.length), `${dominant} / ${starved} of ${all.length}`];
  });
  return markdown(['comparison', "first estimate's weights, mean ± std over seeds", 'OGR per head (mean; undefined where dG = 0 is left out)', 'seeds',
    `every estimate: one head ≥ ${DOMINANT} / fused ≤ ${STARVED}`], rows);
}

/** Figure 5b in numbers: per comparison, the method's runs against naive fusion from the same snapshots. */
export function snapshotTable(entries: readonly { label: string; runs: SeedRun[] }[]): string {
  const rows = entries.map(({ label, runs }) => {
    const s: SnapshotSummary | null = methodCharts(runs).snapshot;
    if (s === null) return [label, '–', '–', '–'];
    return [label, `${s.gblendAhead} of ${s.comparisons}${s.ties > 0 ? ` (${s.ties} tied)` : ''}`, signed(s.meanDifference, 1), `${s.lossLower} of ${s.comparisons} (${signed(s.meanLossDifference, 3)})`];
  });
  return markdown(['comparison', 'fused V accuracy ahead of naive', 'mean difference, points', 'fused V loss lower (mean difference)'], rows);
}
