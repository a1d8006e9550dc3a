/**
 * `compare --queue URL`: a comparison's runs as jobs on a BullMQ queue, trained by `gblend worker`s
 * anywhere; gives back the same JobsOutcome as `--jobs`, so compare() does not care where runs train.
 *
 * The coordinator holds no state that the queue does not: job ids are deterministic (grid.ts), so the
 * same command run again finds its jobs (finished, running or waiting) and adds only the missing ones.
 * Events (QueueEvents) drive the display; the outcome rests on job states, read again every second, so
 * an event lost while Redis restarted delays a result by a second at most and loses nothing.
 */
import { rm } from 'node:fs/promises';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { ConcreteBackend } from '../engine/choose-backend.js';
import { PARTIAL_SUFFIX, writeFileAtomic } from '../io/atomic.js';
import type { Job } from '../pool/job.js';
import type { JobCallbacks, JobsOutcome } from '../pool/outcome.js';
import type { StopSignal } from '../train/interrupted.js';
import type { QueueAddress } from './address.js';
import { bullConnection, QUEUE_NAME, redisOptions, shutDown, watchQueue } from './connection.js';
import { datasetContentHash } from './dataset-hash.js';
import { gridId, jobId } from './grid.js';
import { removeGrid } from './grid-cleanup.js';
import { decodeFailure, isRunProgress, parseRunOutput, type RunPayload } from './payload.js';
import type { QueueSettings } from './settings.js';

export interface QueueTarget {
  address: QueueAddress;
  settings: QueueSettings;
  /** The comparison key (pool/layout.ts): with the dataset's content hash, it names the grid. */
  key: string;
  /** The dataset as every worker finds it: a built-in name or an absolute path. */
  data: string;
  /** The backend the coordinator resolved: every run of the grid trains on it. */
  backend: ConcreteBackend;
  /** Before waiting: what the queue already had of this grid. */
  onAttach?(info: { grid: string; added: number; queued: number; finished: number; retried: number }): void;
}

const POLL_MS = 1000;

export async function runOnQueue(jobs: Job[], target: QueueTarget, callbacks: JobCallbacks, stop: StopSignal): Promise<JobsOutcome> {
  const outcome: JobsOutcome = { results: new Map(), failures: [], interrupted: [] };
  if (jobs.length === 0) return outcome;
  const dataHash = await datasetContentHash(jobs[0]!.dataDir);
  const grid = gridId(target.key, dataHash);
  const watch = watchQueue(target.address, target.settings.timeoutMs);
  try {
    await watch.ready;
  } catch (err) {
    await watch.close();
    throw err;
  }
  const connection = bullConnection(target.address);
  const queue = new Queue(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  // Errors reach us through the watch (Redis away) and through job states; these only repeat them.
  const redis = new Redis(target.address.url, redisOptions());
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  redis.on('error', () => undefined);
  const byId = new Map(jobs.map((j) => [jobId(grid, j.name, j.config.seed), j]));
  const outstanding = new Set(byId.keys());
  try {
    await Promise.race([events.waitUntilReady(), watch.lost]);
    let fail: (err: unknown) => void = () => undefined;
    const failed = new Promise<never>((_resolve, reject) => void (fail = reject));
    let settleAll: () => void = () => undefined;
    const allSettled = new Promise<void>((resolve) => void (settleAll = resolve));
    const settling = new Set<string>();
    const seenFinished = new Set<string>();
    /**
     * Takes up a finished job. `patient` (the poll): only when it was already finished at the last
     * poll, so that its own events, which come before its completion, are shown first.
     */
    const settle = async (id: string, patient = false): Promise<void> => {
      if (!outstanding.has(id) || settling.has(id)) return;
      settling.add(id);
      try {
        const job = byId.get(id)!;
        const queued = await queue.getJob(id);
        const state = queued === undefined ? 'missing' : await queued.getState();
        const finished = state === 'completed' || state === 'failed' || state === 'missing' || state === 'unknown';
        if (patient && finished && !seenFinished.has(id)) {
          seenFinished.add(id);
          return;
        }
        if (state === 'completed') {
          const output = parseRunOutput(queued!.returnvalue, id);
          await keepLocally(job, output.log, output.result);
          outcome.results.set(job.index, output.result);
          callbacks.onDone?.(job, output.result);
        } else if (state === 'failed') {
          outcome.failures.push({ job, error: null, ...decodeFailure(queued!.failedReason) });
        } else if (state === 'missing' || state === 'unknown') {
          const message = `${job.name} seed ${job.config.seed}: its job '${id}' is no longer on the queue (removed by 'gblend queue clean', or Redis lost its data: run Redis with appendonly yes); run the same command again to queue it anew`;
          outcome.failures.push({ job, error: null, message, code: 'queue' });
        } else return;
        outstanding.delete(id);
        if (outstanding.size === 0) settleAll();
      } finally {
        settling.delete(id);
      }
    };
    events.on('active', ({ jobId: id }) => {
      const job = byId.get(id);
      if (job !== undefined && outstanding.has(id)) callbacks.onStart?.(job);
    });
    events.on('progress', ({ jobId: id, data }) => {
      const job = byId.get(id);
      if (job === undefined || !outstanding.has(id) || !isRunProgress(data)) return;
      if (data.kind === 'event') callbacks.onEvent?.(job, data.event);
      else callbacks.onProgress?.(job, data.progress);
    });
    const onFinished = ({ jobId: id }: { jobId: string }): void => void settle(id).catch(fail);
    events.on('completed', onFinished);
    events.on('failed', onFinished);

    await attach(queue, grid, byId, { ...target, dataHash }, callbacks);
    const poll = setInterval(() => {
      if (stop.stopped) settleAll();
      for (const id of outstanding) void settle(id, true).catch(fail);
    }, POLL_MS);
    try {
      for (const id of outstanding) await settle(id);
      await Promise.race([allSettled, watch.lost, failed]);
    } finally {
      clearInterval(poll);
    }
    // Stopped on request: the runs stay on the queue, where the same command finds them again.
    for (const id of outstanding) outcome.interrupted.push(byId.get(id)!);
    if (outcome.failures.length === 0 && outcome.interrupted.length === 0) await removeGrid(queue, redis, grid);
    return outcome;
  } finally {
    await shutDown([events, queue, { close: async () => redis.disconnect() }, watch]);
  }
}

/** Finds the grid's jobs on the queue, retries its failed ones and adds the missing ones. */
async function attach(queue: Queue, grid: string, byId: Map<string, Job>, target: QueueTarget & { dataHash: string }, callbacks: JobCallbacks): Promise<void> {
  const counts = { added: 0, queued: 0, finished: 0, retried: 0 };
  const missing: { name: string; data: RunPayload; opts: { jobId: string } }[] = [];
  for (const [id, job] of byId) {
    const queued = await queue.getJob(id);
    const state = queued === undefined ? 'missing' : await queued.getState();
    if (state === 'completed') counts.finished++;
    else if (state === 'failed') {
      // Run again by the same command: a fixed worker (the right dataset) may now take it.
      await queued!.retry('failed');
      counts.retried++;
    } else if (state === 'missing' || state === 'unknown') {
      const data: RunPayload = {
        version: 1, grid, index: job.index, name: job.name, data: target.data, dataHash: target.dataHash, backend: target.backend, config: job.config,
      };
      missing.push({ name: 'run', data, opts: { jobId: id } });
    } else {
      counts.queued++;
      if (state === 'active') callbacks.onStart?.(job);
    }
  }
  if (missing.length > 0) await queue.addBulk(missing);
  counts.added = missing.length;
  target.onAttach?.({ grid, ...counts });
}

/** A finished run's files, as a local run writes them: the log, then the result (the moment it counts as done). */
async function keepLocally(job: Job, log: string, result: unknown): Promise<void> {
  if (job.files.log !== null) {
    await writeFileAtomic(job.files.log, log, 'the run log');
    await rm(`${job.files.log}${PARTIAL_SUFFIX}`, { force: true });
  }
  if (job.files.result !== null) await writeFileAtomic(job.files.result, `${JSON.stringify(result)}\n`, 'the run result');
  if (job.files.checkpoint !== null) await rm(job.files.checkpoint, { force: true });
}
