/**
 * A worker process of `compare --jobs N` and of `gblend worker` (src/queue/worker.ts): runs the jobs its
 * parent sends, one at a time, on one native thread, and reports events, progress and results back. It never outlives its parent: a worker whose
 * parent died (a SIGKILL) exits before its next step or write, so it cannot write over a resumed run.
 */
import type { Dataset } from '../data/index.js';
import { loadDataset, selectModalities } from '../data/index.js';
import { isUserError } from '../core/user-error.js';
import { initEngine } from '../engine/index.js';
import { InterruptedError } from '../train/interrupted.js';
import { executeJob, type Job } from './job.js';
import type { FromWorker, ToWorker } from './messages.js';

const parent = process.ppid;
/** A stop was asked for: by the parent's `stop` message or by a Ctrl-C that reached this process. */
let interrupted = false;
/** Ctrl-Cs that reached this process itself (a terminal signals the whole group, workers included). */
let sigints = 0;

/** getppid is a system call, current without the event loop turning: the parent's death shows at once. */
function exitIfOrphaned(): void {
  if (process.ppid !== parent || !process.connected) process.exit(1);
}

const stop = {
  get stopped(): boolean {
    exitIfOrphaned();
    return interrupted;
  },
};

function send(message: FromWorker): void {
  exitIfOrphaned();
  process.send!(message);
}

const datasets = new Map<string, Dataset>();

async function datasetOf(job: Job): Promise<Dataset> {
  const key = JSON.stringify([job.dataDir, job.config.modalities]);
  let ds = datasets.get(key);
  if (ds === undefined) {
    const all = await loadDataset(job.dataDir);
    ds = job.config.modalities === null ? all : selectModalities(all, job.config.modalities);
    datasets.set(key, ds);
  }
  return ds;
}

/** Resolves when the parent has copied the checkpoint just written (shareCheckpoints). */
const stored = new Map<number, () => void>();

function shareCheckpoint(index: number): Promise<void> {
  return new Promise((resolve) => {
    stored.set(index, resolve);
    send({ kind: 'checkpoint', index });
  });
}

async function run(job: Job, shareCheckpoints: boolean): Promise<void> {
  const index = job.index;
  try {
    await initEngine({ backend: job.backend ?? job.config.backend, threads: 1 });
    const afterSave = shareCheckpoints ? { afterSave: () => shareCheckpoint(index) } : {};
    const result = await executeJob(job, await datasetOf(job), { stop, beforeWrite: exitIfOrphaned, ...afterSave }, {
      onEvent: (event) => send({ kind: 'event', index, event }),
      onProgress: (progress) => send({ kind: 'progress', index, progress }),
    });
    send({ kind: 'done', index, result });
  } catch (err) {
    const message = err instanceof Error ? (isUserError(err) ? err.message : (err.stack ?? err.message)) : String(err);
    send({ kind: 'failed', index, message, code: isUserError(err) ? err.code : null, interrupted: err instanceof InterruptedError });
  }
}

// Ctrl-C reaches every process of the terminal's group: the first stops at the next step, the second exits.
// Only SIGINTs are counted: one Ctrl-C also brings the parent's `stop`, in either order (libuv handles
// signals after other I/O, so a worker busy in a step reads the message first), and is still one Ctrl-C.
process.on('SIGINT', () => {
  if (++sigints > 1) process.exit(130);
  interrupted = true;
});
// The parent closes the channel when the queue is empty, or the system does when the parent dies.
process.on('disconnect', () => process.exit(0));
process.on('message', (m: ToWorker) => {
  if (m.kind === 'stop') interrupted = true;
  else if (m.kind === 'stored') {
    stored.get(m.index)?.();
    stored.delete(m.index);
  } else void run(m.job, m.shareCheckpoints === true);
});
