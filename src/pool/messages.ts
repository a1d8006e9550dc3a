/** What the comparison's parent process and its workers tell each other over the IPC channel. */
import type { SeedResult } from '../report/results.js';
import type { ProgressEvent, RunEvent } from '../train/events.js';
import type { Job } from './job.js';

export type ToWorker = { kind: 'run'; job: Job } | { kind: 'stop' };

export type FromWorker =
  | { kind: 'event'; index: number; event: RunEvent }
  | { kind: 'progress'; index: number; progress: ProgressEvent }
  | { kind: 'done'; index: number; result: SeedResult }
  /** `user`: a user error (one line, e.g. a diverged run); `interrupted`: stopped on request. */
  | { kind: 'failed'; index: number; message: string; code: string | null; interrupted: boolean };
