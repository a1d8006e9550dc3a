/**
 * `npm run bench -- [--json] [--torch] [--threads N] ...`: every workload on every gblend backend
 * (each in its own worker process, one after another), optionally the PyTorch reference, then one
 * JSON object (--json) or a table on stdout. Progress goes to stderr. See bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USAGE, parseBenchArgs, type BenchArgs } from './args.js';
import { measureFmaPeak, type FmaPeak } from './fma-peak.js';
import { buildReport, renderParts, renderPeak, renderTable, reportJson } from './report.js';
import { runJsonChild } from './spawn-json.js';
import { runTorchReference, type TorchOutcome } from './torch.js';
import type { WorkerOptions, WorkerResult } from './worker.js';
import { WORKLOADS } from './workloads/index.js';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'worker.js');

async function runBackend(args: BenchArgs, backend: string): Promise<WorkerResult | { backend: string; error: string }> {
  const opts: WorkerOptions = { workloads: args.workloads, timing: args.timing, runRepeats: args.runRepeats };
  process.stderr.write(`bench: starting ${backend} (threads ${args.threads}) ...\n`);
  try {
    const { json } = await runJsonChild(process.execPath, [WORKER, backend, String(args.threads), JSON.stringify(opts)], process.env);
    const r = json as WorkerResult;
    if (!r.available) process.stderr.write(`bench: ${backend} unavailable: ${r.reason}\n`);
    return r;
  } catch (err) {
    return { backend, error: err instanceof Error ? err.message : String(err) };
  }
}

function machine(): Record<string, unknown> {
  let nproc: number | null = null;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    nproc = availableParallelism();
  }
  return { cpu: cpus()[0]?.model ?? 'unknown', nproc, node: process.version, kernel: release(), loadavg_at_start: loadavg().map((x) => Number(x.toFixed(2))) };
}

function torchMeta(t: TorchOutcome): Record<string, unknown> {
  if (!t.available) return { available: false, reason: t.reason };
  return { available: true, torch: t.torch, threads: t.threads, blas: t.blas, openblas_verbose: t.verbose };
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const host = machine();
  // First, on a machine not yet busy with the backends: the FMA ceiling for matmul1024.
  let peak: FmaPeak | null = null;
  if (args.peak) {
    process.stderr.write(`bench: measuring the fp32 FMA peak (threads ${args.threads}) ...\n`);
    peak = await measureFmaPeak(args.threads);
    process.stderr.write(peak.available ? `bench: FMA peak ${peak.value} GFLOP/s (${peak.isa})\n` : `bench: FMA peak unavailable: ${peak.reason}\n`);
  }
  const outcomes = [];
  for (const b of args.backends) outcomes.push(await runBackend(args, b));
  const torch = args.torch ? await runTorchReference(args) : null;
  const workers = outcomes.filter((o): o is WorkerResult => !('error' in o));
  const backends: Record<string, unknown> = {};
  for (const o of outcomes) {
    if ('error' in o) backends[o.backend] = { available: true, error: o.error };
    else if (!o.available) backends[o.backend] = { available: false, reason: o.reason };
    else backends[o.backend] = { available: true, ...o.info };
  }
  const meta = {
    threads_requested: args.threads,
    // Other work on the machine skews every number: compare the load averages with nproc.
    machine: { ...host, loadavg_at_end: loadavg().map((x) => Number(x.toFixed(2))) },
    backends,
    torch: torch === null ? 'not run (add --torch)' : Object.fromEntries(Object.entries(torch).map(([k, t]) => [k, torchMeta(t)])),
    timing: { ...args.timing, runRepeats: args.runRepeats },
    workloads: Object.fromEntries(WORKLOADS.filter((w) => args.workloads.includes(w.name)).map((w) => [w.name, w.describe])),
    ratio: 'vs_torch = gblend speed / PyTorch speed (torch entry, OPENBLAS_CORETYPE pinned); > 1 means gblend is faster',
  };
  const report = buildReport(args.workloads, workers, torch, meta, peak);
  if (args.json) {
    process.stdout.write(`${JSON.stringify(reportJson(report))}\n`);
    return;
  }
  const peakLine = renderPeak(report);
  const lines = [renderTable(report, args.backends), ...renderParts(report), ...(peakLine === null ? [] : [peakLine]), ''];
  lines.push(`threads requested: ${args.threads}; machine: ${JSON.stringify(meta.machine)}`);
  for (const [b, info] of Object.entries(backends)) lines.push(`${b}: ${JSON.stringify(info)}`);
  for (const [k, t] of Object.entries(torch ?? {})) {
    const m = torchMeta(t);
    lines.push(`${k}: ${t.available ? `torch ${t.torch}, threads ${t.threads}, OpenBLAS core ${t.blas?.core ?? '?'} (OPENBLAS_CORETYPE=${t.blas?.coretype_env ?? 'unset'}), BLAS threads ${t.blas?.threads ?? '?'}` : `skipped, PyTorch unavailable: ${String(m['reason'])}`}`);
  }
  if (torch === null) lines.push('PyTorch reference: not run (add --torch)');
  else lines.push('<backend>/torch = gblend speed / PyTorch speed against the torch column (> 1: gblend faster; for durations (s, s/epoch), PyTorch seconds / gblend seconds)');
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
