/**
 * `compare`: trains every method for every seed on one dataset, writes one JSONL run log per
 * (method, seed) and results.json, and returns the aggregated results.
 */
import { join } from 'node:path';
import { parseCompareConfig } from '../config/load.js';
import type { CompareConfigInput } from '../config/schema.js';
import { initEngine } from '../engine/index.js';
import { writeFileAtomic } from '../io/atomic.js';
import { checkOutputDir, checkOutputFile } from '../io/output-check.js';
import { aggregateResults, type Results, type SeedResult } from '../report/results.js';
import { RunLogWriter, finiteOrNull, runName } from '../report/run-log.js';
import type { ProgressEvent, RunEvent } from '../train/events.js';
import { createMethod, defaultMethods } from '../methods/registry.js';
import { planRun, trainOnDataset } from '../train/run.js';
import { openDataset } from './datasets.js';
import { writeHtmlReport } from './report.js';

export interface CompareCallbacks {
  /** A (method, seed) run starts; `index` counts runs from 0 of `total`. */
  onRunStart?(info: { method: string; seed: number; index: number; total: number }): void;
  onEvent?(info: { method: string; seed: number }, event: RunEvent): void;
  onProgress?(info: { method: string; seed: number }, progress: ProgressEvent): void;
  onRunEnd?(result: SeedResult): void;
}

export { defaultMethods };

export async function compare(options: CompareConfigInput, callbacks: CompareCallbacks = {}): Promise<Results> {
  const config = parseCompareConfig(options);
  const engine = await initEngine({ backend: config.backend, ...(config.threads === null ? {} : { threads: config.threads }) });
  const dataset = await openDataset(config.data, config.modalities);
  const modalities = dataset.modalities.map((m) => m.name);
  const methods = config.methods ?? defaultMethods(modalities);
  const { methods: _m, seeds: _s, out, ...shared } = config;
  // Check every run's method and splits, and the outputs, before anything is trained or written.
  for (const method of methods) for (let seed = 0; seed < config.seeds; seed++) planRun({ ...shared, method, seed }, dataset, createMethod(method, shared.methodOptions));
  if (out !== null) await checkCompareOutputs(out);
  const runs: SeedResult[] = [];
  const total = methods.length * config.seeds;
  for (const method of methods) {
    for (let seed = 0; seed < config.seeds; seed++) {
      const info = { method, seed };
      callbacks.onRunStart?.({ ...info, index: runs.length, total });
      const log = out === null ? null : await RunLogWriter.create(join(out, 'runs', `${runName(method, seed)}.jsonl`));
      const t0 = performance.now();
      let completed = false;
      try {
        const run = await trainOnDataset({ ...shared, method, seed }, dataset, createMethod(method, shared.methodOptions), {
          onEvent: async (e) => {
            await log?.write(e);
            callbacks.onEvent?.(info, e);
          },
          onProgress: (p) => callbacks.onProgress?.(info, p),
        });
        run.model.dispose();
        const result: SeedResult = { method: run.method, seed, weights: run.weights, test: run.test, seconds: (performance.now() - t0) / 1000 };
        runs.push(result);
        callbacks.onRunEnd?.(result);
        completed = true;
      } finally {
        await log?.close(completed);
      }
    }
  }
  const results = aggregateResults(
    { dataset: dataset.name, modalities, epochs: config.epochs, backend: engine.backend, threads: engine.threads, config: shared },
    runs,
  );
  if (out !== null) {
    await writeFileAtomic(join(out, 'results.json'), `${JSON.stringify(results, finiteOrNull, 2)}\n`, 'the results');
    await writeHtmlReport(out);
  }
  return results;
}

/** `compare --out DIR` writes DIR/results.json, DIR/report.html and DIR/runs/*.jsonl. */
async function checkCompareOutputs(out: string): Promise<void> {
  await checkOutputDir(out, 'the comparison');
  await checkOutputDir(join(out, 'runs'), 'the run logs');
  await checkOutputFile(join(out, 'results.json'), 'the results');
  await checkOutputFile(join(out, 'report.html'), 'the report');
}
