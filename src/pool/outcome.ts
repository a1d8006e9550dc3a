/** What running a comparison's jobs gives back, in-process or in workers alike. */
import { UserError } from '../core/user-error.js';
import type { SeedResult } from '../report/results.js';
import type { ProgressEvent, RunEvent } from '../train/events.js';
import type { Job } from './job.js';

export interface JobFailure {
  job: Job;
  /** The error itself when the run failed in this process; from a worker, its message and code. */
  error: unknown;
  message: string;
  /** A UserError's code, or null for a crash or a bug. */
  code: string | null;
}

export interface JobsOutcome {
  /** By Job.index. */
  results: Map<number, SeedResult>;
  failures: JobFailure[];
  /** Jobs stopped on request (Ctrl-C) or never started because of it. */
  interrupted: Job[];
}

export interface JobCallbacks {
  onStart?(job: Job): void;
  onEvent?(job: Job, event: RunEvent): void;
  onProgress?(job: Job, progress: ProgressEvent): void;
  onDone?(job: Job, result: SeedResult): void;
}

/** Runs of a comparison that failed; finished runs are kept, and the failed ones can be resumed. */
export class RunsFailedError extends Error {
  constructor(readonly failures: JobFailure[]) {
    super(failures.map((f) => f.message).join('; '));
    this.name = 'RunsFailedError';
  }
}

/** The error to throw for `failures`: the run's own error when one run failed, else one listing them all. */
export function failureError(failures: JobFailure[]): Error {
  if (failures.length === 1 && failures[0]!.error instanceof Error) return failures[0]!.error;
  if (failures.every((f) => f.code !== null)) return new UserError(failures[0]!.code!, failures.map((f) => f.message).join('; '));
  return new RunsFailedError(failures);
}
