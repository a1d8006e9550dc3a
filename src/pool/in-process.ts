/** `compare --jobs 1`: the jobs one after another in this process, through the same executeJob as a worker. */
import type { Dataset } from '../data/index.js';
import { isUserError } from '../core/user-error.js';
import { InterruptedError, type StopSignal } from '../train/interrupted.js';
import { executeJob, type Job } from './job.js';
import type { JobCallbacks, JobsOutcome } from './outcome.js';

export async function runInProcess(jobs: Job[], dataset: Dataset, callbacks: JobCallbacks, stop: StopSignal): Promise<JobsOutcome> {
  const outcome: JobsOutcome = { results: new Map(), failures: [], interrupted: [] };
  for (const job of jobs) {
    if (stop.stopped) {
      outcome.interrupted.push(job);
      continue;
    }
    callbacks.onStart?.(job);
    try {
      const result = await executeJob(job, dataset, { stop }, {
        onEvent: (e) => callbacks.onEvent?.(job, e),
        onProgress: (p) => callbacks.onProgress?.(job, p),
      });
      outcome.results.set(job.index, result);
      callbacks.onDone?.(job, result);
    } catch (err) {
      if (err instanceof InterruptedError) outcome.interrupted.push(job);
      else outcome.failures.push({ job, error: err, message: err instanceof Error ? err.message : String(err), code: isUserError(err) ? err.code : null });
    }
  }
  return outcome;
}
