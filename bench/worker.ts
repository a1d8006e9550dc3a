/**
 * One backend in one process: `node dist/bench/worker.js <backend> <threads> <json options>`.
 * Prints one JSON line (WorkerResult) on stdout; progress goes to stderr. run.ts starts one per
 * backend, so a thread count, a kernel patch or a native library never leaks between backends.
 */
import * as tf from '@tensorflow/tfjs-core';
import { BACKENDS, Unavailable, backendRuns, startBackend, type BenchBackend } from './backends.js';
import type { Measurement, TimingOptions } from './timing.js';
import { workloadByName } from './workloads/index.js';

export interface WorkerOptions {
  workloads: string[];
  timing: TimingOptions;
  /** Repeats for workloads that are whole training runs. */
  runRepeats: number;
}

export type WorkerResult =
  | { backend: string; available: false; reason: string }
  | {
      backend: string;
      available: true;
      engine: string;
      threads: number;
      kernelsPatched: string[];
      info: Record<string, unknown>;
      results: Record<string, Measurement | { error: string }>;
    };

async function main(): Promise<WorkerResult> {
  const [backend, threadsArg, optionsArg] = process.argv.slice(2);
  if (!(BACKENDS as readonly string[]).includes(backend ?? '')) throw new Error(`worker: unknown backend '${backend}'`);
  const b = backend as BenchBackend;
  const opts = JSON.parse(optionsArg ?? '{}') as WorkerOptions;
  let started;
  try {
    started = await startBackend(b, Number(threadsArg));
  } catch (err) {
    if (err instanceof Unavailable) return { backend: b, available: false, reason: err.message };
    throw err;
  }
  const results: Record<string, Measurement | { error: string }> = {};
  for (const name of opts.workloads) {
    if (!backendRuns(b, name)) continue;
    const w = workloadByName(name);
    process.stderr.write(`bench: ${b}: ${name} ...\n`);
    const before = tf.memory().numTensors;
    try {
      results[name] = await w.measure(w.wholeRuns ? { ...opts.timing, repeats: opts.runRepeats } : opts.timing);
      const r = results[name] as Measurement;
      process.stderr.write(`bench: ${b}: ${name} = ${r.value.toPrecision(4)} ${r.unit}\n`);
    } catch (err) {
      results[name] = { error: err instanceof Error ? err.message : String(err) };
      process.stderr.write(`bench: ${b}: ${name} failed: ${results[name].error}\n`);
    }
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0) process.stderr.write(`bench: ${b}: ${name} left ${leaked} tensors\n`);
  }
  return { backend: b, available: true, ...started, results };
}

main().then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (err: unknown) => {
    process.stderr.write(`bench worker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
