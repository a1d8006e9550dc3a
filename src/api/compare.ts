/**
 * `compare`: trains every method for every seed on one dataset, writes one JSONL run log per
 * (method, seed) and results.json, and returns the aggregated results. With `out`, every run
 * checkpoints under out/checkpoints/ and an interrupted comparison resumes (`resume`); `jobs`
 * runs that many (method, seed) pairs at once, in worker processes; `queue` puts them on a Redis queue
 * for `gblend worker`s on any machine (src/queue).
 */
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseCompareConfig } from '../config/load.js';
import type { CompareConfig, CompareConfigInput, TrainConfig } from '../config/schema.js';
import { UserError } from '../core/user-error.js';
import type { ConcreteBackend } from '../engine/choose-backend.js';
import { initEngine } from '../engine/index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { checkOutputDir, checkOutputFile } from '../io/output-check.js';
import { createMethod, defaultMethods } from '../methods/registry.js';
import type { Job } from '../pool/job.js';
import { runInProcess } from '../pool/in-process.js';
import { abandonIfEmpty, checkpointFile, comparisonKey, logFile, readPlan, readResult, removeCheckpoints, resultFile, ResumeError, tidyForResume, writePlan, type ComparisonPlan } from '../pool/layout.js';
import { failureError, type JobCallbacks } from '../pool/outcome.js';
import { checkComparisonDir, clearComparison, type ComparisonDirState } from '../pool/out-dir.js';
import { runInWorkers } from '../pool/workers.js';
import { runOnQueue, type QueueTarget } from '../queue/coordinator.js';
import { aggregateResults, type Results, type SeedResult } from '../report/results.js';
import { finiteOrNull } from '../report/run-log.js';
import type { ProgressEvent, RunEvent } from '../train/events.js';
import type { StopSignal } from '../train/interrupted.js';
import { planRun } from '../train/run.js';
import { comparisonGrid } from './comparison-grid.js';
import { datasetReference, openDataset, resolveDatasetDir } from './datasets.js';
import { writeHtmlReport } from './report.js';

export interface CompareCallbacks {
  /** Before training: how many runs there are and how many a resumed comparison had finished. */
  onPlan?(info: { total: number; done: number; jobs: number; skipped: string[] }): void;
  /** A (method, seed) run starts; `index` is its place among `total` runs. */
  onRunStart?(info: { method: string; seed: number; index: number; total: number }): void;
  onEvent?(info: { method: string; seed: number }, event: RunEvent): void;
  onProgress?(info: { method: string; seed: number }, progress: ProgressEvent): void;
  onRunEnd?(result: SeedResult): void;
}

export interface CompareControl {
  /** Continue the interrupted comparison in `out` (or start it, if there is none). */
  resume?: boolean;
  /**
   * Start over where `out` holds a comparison of gblend's, finished or not: its files (and only those)
   * are deleted once everything is checked, just before training. Excludes `resume`.
   */
  overwrite?: boolean;
  /** (method, seed) runs at once; 1 trains in this process. Default: defaultJobs. */
  jobs?: number;
  /** Set it (from a signal handler) to stop every run at its next step boundary. */
  stop?: StopSignal;
  /**
   * Train the runs as jobs on this queue (`gblend worker`s train them) instead of here; `jobs` is then
   * unused, and an interrupted comparison in `out` is taken up without `resume` (the queue holds it).
   */
  queue?: Pick<QueueTarget, 'address' | 'settings' | 'onAttach'>;
}

/** A comparison stopped on request: finished runs and checkpoints are kept in `out`. */
export class ComparisonInterrupted extends Error {
  constructor(readonly done: number, readonly total: number) {
    super(`interrupted with ${done} of ${total} runs finished`);
    this.name = 'ComparisonInterrupted';
  }
}

export { defaultMethods };

/**
 * One run per idle core: the cores less the 1-minute load average, at least 1, at most one per run.
 * Measured on our 2-core machine (bench/jobs.ts, bench/README.md#jobs): a run keeps one core busy,
 * so a second worker pays off only on an idle core; with both cores busy (load 5 from other work)
 * `--jobs 2` was slower than `--jobs 1` (26.1 against 19.0 s for `npm start` at 5 epochs).
 */
export function defaultJobs(runs: number, load = loadavg()[0] ?? 0): number {
  const idle = Math.round(availableParallelism() - load);
  return Math.max(1, Math.min(idle, runs));
}

export async function compare(options: CompareConfigInput, callbacks: CompareCallbacks = {}, control: CompareControl = {}): Promise<Results> {
  const config = parseCompareConfig(options);
  const dataset = await openDataset(config.data, config.modalities);
  const modalities = dataset.modalities.map((m) => m.name);
  const { entries, skipped } = comparisonGrid(config.methods ?? defaultMethods(modalities), config.fusions, modalities);
  const { methods: _m, seeds: _s, out, fusions: _f, ...shared } = config;
  // A run's `method` here is its name in the comparison (naive@mid); runConfig has the method itself.
  const runs = entries.flatMap((e) => Array.from({ length: config.seeds }, (_, seed) => ({ method: e.name, seed })));
  const byName = new Map(entries.map((e) => [e.name, e]));
  const runConfig = (r: { method: string; seed: number }): TrainConfig => {
    const e = byName.get(r.method)!;
    return { ...shared, method: e.method, seed: r.seed, model: e.fusion === null ? shared.model : { ...shared.model, fusion: e.fusion } };
  };
  const jobs = control.queue ? 1 : control.jobs ?? defaultJobs(runs.length);
  if (jobs > 1 && config.threads !== null && config.threads > 1) {
    throw new UserError('bad_jobs', `--threads ${config.threads} with --jobs ${jobs}: each worker uses one thread; leave --threads out or use --jobs 1`);
  }
  if (control.queue && config.threads !== null && config.threads > 1) {
    throw new UserError('bad_jobs', `--threads ${config.threads} with --queue: each worker's run uses one thread; leave --threads out`);
  }
  const resume = control.resume === true || control.queue !== undefined;
  if (control.resume && !control.queue && out === null) throw new UserError('bad_resume', '--resume: needs --out, the folder of the comparison to resume');
  // Check every run's method and splits, and the outputs, before anything is trained or written.
  for (const r of runs) {
    const c = runConfig(r);
    planRun(c, dataset, createMethod(c.method, shared.methodOptions));
  }
  if (control.resume && control.overwrite) throw new UserError('bad_resume', '--resume and --overwrite exclude each other: --resume continues the comparison in --out, --overwrite starts it over');
  let state: ComparisonDirState = 'empty';
  if (out !== null) {
    await checkCompareOutputs(out);
    state = await checkComparisonDir(out, { resume, overwrite: control.overwrite === true });
  }
  const engine = await initEngine({ backend: config.backend, ...(jobs > 1 ? { threads: 1 } : config.threads === null ? {} : { threads: config.threads }) });
  const meta: ComparisonPlan['meta'] = { dataset: dataset.name, modalities, epochs: config.epochs, backend: engine.backend, threads: engine.threads, config: shared };
  if (out !== null && control.overwrite === true && state !== 'empty') await clearComparison(out);
  const { done, created } = out === null ? { done: new Map<number, SeedResult>(), created: undefined } : await startOrResume(out, config, runs, meta, resume);
  callbacks.onPlan?.({ total: runs.length, done: done.size, jobs, skipped });
  const dataDir = resolveDatasetDir(config.data);
  const pending: Job[] = runs.flatMap((r, index) => done.has(index) ? [] : [{
    index, name: r.method, dataDir, resume, config: { ...runConfig(r), threads: jobs > 1 ? 1 : shared.threads },
    files: out === null ? { checkpoint: null, log: null, result: null } : { checkpoint: checkpointFile(out, r), log: logFile(out, r), result: resultFile(out, r) },
  }]);
  const stop = control.stop ?? { stopped: false };
  const perJob = jobCallbacks(callbacks, runs.length);
  const outcome = control.queue
    ? await runOnQueue(pending, { ...control.queue, key: comparisonKey(config), data: datasetReference(config.data), backend: engine.backend as ConcreteBackend }, perJob, stop)
    : jobs > 1 ? await runInWorkers(pending, jobs, perJob, stop) : await runInProcess(pending, dataset, perJob, stop);
  for (const [index, result] of outcome.results) done.set(index, result);
  if (outcome.failures.length > 0) {
    if (out !== null) await abandonIfEmpty(out, runs, created);
    throw failureError(outcome.failures);
  }
  if (outcome.interrupted.length > 0) throw new ComparisonInterrupted(done.size, runs.length);
  const results = aggregateResults(meta, runs.map((_, i) => done.get(i)!));
  if (out !== null) {
    await writeFileAtomic(join(out, 'results.json'), `${JSON.stringify(results, finiteOrNull, 2)}\n`, 'the results');
    await writeHtmlReport(out);
    await removeCheckpoints(out, runs);
  }
  return results;
}

function jobCallbacks(callbacks: CompareCallbacks, total: number): JobCallbacks {
  const info = (job: Job): { method: string; seed: number } => ({ method: job.name, seed: job.config.seed });
  return {
    onStart: (job) => callbacks.onRunStart?.({ ...info(job), index: job.index, total }),
    onEvent: (job, e) => callbacks.onEvent?.(info(job), e),
    onProgress: (job, p) => callbacks.onProgress?.(info(job), p),
    onDone: (_job, result) => callbacks.onRunEnd?.(result),
  };
}

/** Records the plan of a new comparison, or checks and takes up an interrupted one; returns the finished runs. */
async function startOrResume(out: string, config: CompareConfig, runs: { method: string; seed: number }[], meta: ComparisonPlan['meta'], resume: boolean): Promise<{ done: Map<number, SeedResult>; created: string | undefined }> {
  const plan: ComparisonPlan = { version: 1, key: comparisonKey(config), meta, runs };
  const existing = await readPlan(out);
  const done = new Map<number, SeedResult>();
  if (existing !== null && !resume) {
    throw new ResumeError(`${out} holds an interrupted comparison: add --resume to continue it, or --overwrite (or a new --out) to start over`);
  }
  if (existing !== null && existing.key !== plan.key) {
    throw new ResumeError(`--resume: the comparison in ${out} was started with other options; resume it with the same options, or use --overwrite (or a new --out) to start over`);
  }
  let created: string | undefined;
  if (existing === null) created = await writePlan(out, plan);
  else {
    await tidyForResume(out, runs);
    for (const [i, r] of runs.entries()) {
      const result = await readResult(out, r);
      if (result !== null) done.set(i, result);
    }
  }
  return { done, created };
}

/** `compare --out DIR` writes DIR/results.json, DIR/report.html and DIR/runs/*.jsonl. */
async function checkCompareOutputs(out: string): Promise<void> {
  await checkOutputDir(out, 'the comparison');
  await checkOutputDir(join(out, 'runs'), 'the run logs');
  await checkOutputFile(join(out, 'results.json'), 'the results');
  await checkOutputFile(join(out, 'report.html'), 'the report');
}
