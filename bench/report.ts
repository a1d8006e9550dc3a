/**
 * The report: one JSON object, workloads first, then `_meta`:
 *   { "<workload>": { "<backend>": Entry, ... }, ..., "_meta": {...} }
 * Backends are gblend's (native, native-ops, wasm, wasm-stock) and, with --torch, the PyTorch runs
 * (torch = OPENBLAS_CORETYPE pinned, torch-autocore = unset). Each gblend entry gets
 * `vs_torch` when the pinned PyTorch run measured the same workload. Unless --no-peak, `fma_peak`
 * (bench/fma-peak.ts) comes before `_meta`, and matmul1024 entries get `of_fma_peak`.
 */
import type { FmaPeak } from './fma-peak.js';
import { TORCH_KEYS, type TorchOutcome } from './torch.js';
import type { WorkerResult } from './worker.js';

export type Entry =
  | { value: number; unit: string; threads: number; samples: number[]; iters: number; parts?: Record<string, number>; vs_torch?: number; of_fma_peak?: number; blas_core?: string }
  | { error: string; threads?: number };

export interface Report {
  workloads: Record<string, Record<string, Entry>>;
  meta: Record<string, unknown>;
  /** null: not measured (--no-peak). */
  peak: FmaPeak | null;
}

/** The workload that `of_fma_peak` is given for (the issue's target: >= 0.6 of the peak). */
export const PEAK_WORKLOAD = 'matmul1024';

/** The printed JSON: workloads as top-level keys, then `fma_peak`, then `_meta`. */
export function reportJson(r: Report): Record<string, unknown> {
  const p = r.peak;
  const peak = p === null ? {} : { fma_peak: p.available ? { value: p.value, unit: p.unit, threads: p.threads, isa: p.isa, per_thread: p.per_thread } : p };
  return { ...r.workloads, ...peak, _meta: r.meta };
}

const sig = (x: number, n = 4): number => Number(x.toPrecision(n));

/** Units that are a duration (s, s/epoch), where less is faster; the others are rates. */
export const isDuration = (unit: string): boolean => unit === 's' || unit.startsWith('s/');

/** gblend's speed over PyTorch's: > 1 means gblend is faster (for a duration, PyTorch's seconds over ours). */
export function speedRatio(ours: number, theirs: number, unit: string): number {
  return isDuration(unit) ? theirs / ours : ours / theirs;
}

/** The fields of a measured entry that both sides report. */
function measured(r: { value: number; unit: string; samples: number[]; iters: number; parts?: Record<string, number> }, threads: number): Extract<Entry, { unit: string }> {
  const parts = r.parts === undefined ? {} : { parts: Object.fromEntries(Object.entries(r.parts).map(([k, v]) => [k, sig(v)])) };
  return { value: sig(r.value), unit: r.unit, threads, samples: r.samples.map((s) => sig(s)), iters: r.iters, ...parts };
}

export function buildReport(workloads: string[], gblend: WorkerResult[], torch: Record<string, TorchOutcome> | null, meta: Record<string, unknown>, peak: FmaPeak | null = null): Report {
  const report: Record<string, Record<string, Entry>> = {};
  for (const w of workloads) report[w] = {};
  for (const g of gblend) {
    if (!g.available) continue;
    for (const [w, r] of Object.entries(g.results)) {
      report[w]![g.backend] = 'error' in r ? { error: r.error, threads: g.threads } : measured(r, g.threads);
    }
  }
  for (const [key, t] of Object.entries(torch ?? {})) {
    if (!t.available) continue;
    for (const [w, r] of Object.entries(t.results)) {
      if (report[w] === undefined) continue;
      report[w][key] = 'error' in r
        ? { error: r.error, threads: t.threads }
        : { ...measured(r, t.threads), ...(t.blas ? { blas_core: t.blas.core } : {}) };
    }
  }
  for (const entries of Object.values(report)) {
    const ref = entries[TORCH_KEYS.pinned];
    if (ref === undefined || 'error' in ref) continue;
    for (const g of gblend) {
      const e = entries[g.backend];
      if (e !== undefined && !('error' in e)) e.vs_torch = sig(speedRatio(e.value, ref.value, e.unit), 3);
    }
  }
  // The peak was measured on --threads threads; an entry on fewer (wasm is always 1) is held to
  // the same share of it (peak x its threads / peak's threads), not to cores it could not use.
  if (peak?.available === true) {
    for (const e of Object.values(report[PEAK_WORKLOAD] ?? {})) {
      if ('error' in e || e.unit !== 'GFLOP/s') continue;
      e.of_fma_peak = sig(e.value / ((peak.value * e.threads) / peak.threads), 3);
    }
  }
  return { workloads: report, meta, peak };
}

/** `FMA peak (avx512f, 1 thread): 245.9 GFLOP/s; matmul1024 native 76% / wasm 13% of it`. */
export function renderPeak(report: Report): string | null {
  const p = report.peak;
  if (p === null) return null;
  if (!p.available) return `FMA peak: unavailable (${p.reason})`;
  const shares = Object.entries(report.workloads[PEAK_WORKLOAD] ?? {}).flatMap(([b, e]) => ('of_fma_peak' in e && e.of_fma_peak !== undefined ? [`${b} ${Math.round(e.of_fma_peak * 100)}%`] : []));
  const head = `FMA peak (${p.isa}, ${p.threads} thread${p.threads === 1 ? '' : 's'}): ${p.value.toFixed(1)} GFLOP/s`;
  return shares.length === 0 ? head : `${head}; ${PEAK_WORKLOAD} ${shares.join(' / ')} of it (target >= 60%)`;
}

function cell(e: Entry | undefined): string {
  if (e === undefined) return '-';
  return 'error' in e ? 'error' : String(e.value);
}

/** A plain-text table: a column per backend, then one gblend/PyTorch ratio column per gblend backend. */
export function renderTable(report: Report, gblendBackends: string[]): string {
  const workloads = Object.keys(report.workloads);
  const entries = (w: string): Record<string, Entry> => report.workloads[w]!;
  const present = (b: string): boolean => workloads.some((w) => entries(w)[b] !== undefined);
  const cols = [...gblendBackends, TORCH_KEYS.pinned, TORCH_KEYS.auto].filter(present);
  const ratioCols = gblendBackends.filter((b) => present(b) && workloads.some((w) => { const e = entries(w)[b]; return e !== undefined && 'vs_torch' in e; }));
  const threads = (b: string): string => {
    const e = workloads.map((w) => entries(w)[b]).find((x) => x?.threads !== undefined);
    return e?.threads === undefined ? b : `${b} [${e.threads}t]`;
  };
  const header = ['workload', 'unit', ...cols.map(threads), ...ratioCols.map((b) => `${b}/torch`)];
  const rows = workloads.map((w) => {
    const es = entries(w);
    const unit = Object.values(es).find((e): e is Extract<Entry, { unit: string }> => 'unit' in e)?.unit ?? '';
    return [w, unit, ...cols.map((c) => cell(es[c])), ...ratioCols.map((b) => { const e = es[b]; return e !== undefined && 'vs_torch' in e ? `${e.vs_torch}x` : '-'; })];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const errors = workloads.flatMap((w) => Object.entries(entries(w)).flatMap(([b, e]) => ('error' in e ? [`  ${w}@${b}: ${e.error}`] : [])));
  return [line(header), ...rows.map(line), ...(errors.length > 0 ? ['errors:', ...errors] : [])].join('\n');
}

/** One line per workload whose entries have parts (small_run): `small_run parts: native naive 1.2 s, gblend-online 3.4 s; torch ...`. */
export function renderParts(report: Report): string[] {
  const lines: string[] = [];
  for (const [w, entries] of Object.entries(report.workloads)) {
    const each = Object.entries(entries).flatMap(([b, e]) =>
      'parts' in e && e.parts !== undefined ? [`${b} ${Object.entries(e.parts).map(([p, v]) => `${p} ${v} ${e.unit}`).join(', ')}`] : []);
    if (each.length > 0) lines.push(`${w} parts: ${each.join('; ')}`);
  }
  return lines;
}
