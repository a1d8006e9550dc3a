/** Plain-text results table: one row per method, mean ± std over seeds, per-head accuracy. */
import type { MethodResults, Results } from './results.js';

const pct = (x: number): string => (100 * x).toFixed(1);

/** `+0.4`, `-1.2`: a difference with its sign. Rounded first: -0.0001 reads +0.0, not -0.0. */
export function signed(x: number, digits: number): string {
  const text = x.toFixed(digits).replace(/^-(0\.?0*)$/, '$1');
  return `${text.startsWith('-') ? '' : '+'}${text}`;
}

/** `+0.4 (p 0.21)`: mean paired difference in top-1 points against naive, and the paired t-test's p. */
export function formatVsNaive(r: MethodResults): string {
  const v = r.vs_naive;
  if (v == null) return '-';
  const diff = signed(100 * v.meanDiff, 1);
  return v.p === null ? diff : `${diff} (p ${v.p < 0.001 ? '<0.001' : v.p.toFixed(3)})`;
}

/** Test top-1 over seeds: `95.3 ± 1.2`, or the one value of a single seed. */
export function formatAccuracy(r: MethodResults): string {
  return r.seeds.length > 1 ? `${pct(r.test_acc.mean)} ± ${pct(r.test_acc.std)}` : pct(r.test_acc.mean);
}

export function formatResultsTable(results: Results): string {
  const heads = [...results.modalities, 'fused'];
  const header = ['method', 'test top-1 %', ...heads.map((h) => `${h} head %`), 'Δ naive (p)', 'last weights', 'sec/run', '× naive'];
  const rows = Object.entries(results.methods).map(([method, r]) => {
    const acc = formatAccuracy(r);
    const perHead = heads.map((h) => (r.heads[h] ? pct(r.heads[h]!.mean) : '-'));
    const last = r.weights[r.weights.length - 1] ?? {};
    const w = Object.keys(last).length > 1 ? heads.filter((h) => h in last).map((h) => last[h]!.toFixed(2)).join('/') : '-';
    const sec = r.seconds.mean < 10 ? r.seconds.mean.toFixed(1) : r.seconds.mean.toFixed(0);
    // Older results.json files have no time_vs_naive.
    const rel = r.time_vs_naive == null ? '-' : r.time_vs_naive.toFixed(2);
    return [method, acc, ...perHead, formatVsNaive(r), w, sec, rel];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const seeds = Object.values(results.methods)[0]?.seeds.length ?? 0;
  return [
    `${results.dataset}: ${results.modalities.join(' + ')}, ${results.epochs} epochs, ${seeds} seed${seeds === 1 ? '' : 's'}, backend ${results.backend} (${results.threads} thread${results.threads === 1 ? '' : 's'})`,
    `optimizer ${results.config.optimizer.kind} lr ${results.config.optimizer.lr}, batch ${results.config.batchSize}; ` +
      `G-Blend: blend ${results.config.blend.mode}, floor ${results.config.blend.floor}${results.config.blend.floor === 'se' ? ` (z ${results.config.blend.z})` : ''}, metric ${results.config.blend.metric}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `weights are ${heads.join('/')} (last estimate of the last seed); Δ naive: mean top-1 points over naive on the same seeds, p of a paired t-test; × naive: mean wall time per run over naive's`,
  ].join('\n');
}
