/** What the comparison's parent process and its workers tell each other over the IPC channel. */
import type { SeedResult } from '../report/results.js';
import type { ProgressEvent, RunEvent } from '../train/events.js';
import type { Job } from './job.js';

/**
 * `shareCheckpoints`: after each checkpoint the worker says `checkpoint` and waits for `stored`, so that
 * its parent (a queue worker) can copy the checkpoint and the log, in step, to where every machine reads.
 */
export type ToWorker = { kind: 'run'; job: Job; shareCheckpoints?: boolean } | { kind: 'stored'; index: number } | { kind: 'stop' };

export type FromWorker =
  | { kind: 'event'; index: number; event: RunEvent }
  | { kind: 'progress'; index: number; progress: ProgressEvent }
  | { kind: 'checkpoint'; index: number }
  | { kind: 'done'; index: number; result: SeedResult }
  /** `user`: a user error (one line, e.g. a diverged run); `interrupted`: stopped on request. */
  | { kind: 'failed'; index: number; message: string; code: string | null; interrupted: boolean };
