/**
 * `gblend worker --queue URL`: takes runs off the queue and trains them, up to `concurrency` at once,
 * each in a child process of one native thread (run-process.ts). Before a run, it checks the payload
 * and that its dataset is the coordinator's; it resumes the run from the checkpoint on the queue if
 * there is one, stores every new checkpoint there, and returns the result with the run's whole log.
 * Only the CLI prints: lines go to `log`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnrecoverableError, WaitingError, Worker, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import { resolveDatasetDir } from '../api/datasets.js';
import { isUserError } from '../core/user-error.js';
import type { Job } from '../pool/job.js';
import { runName } from '../report/run-log.js';
import type { StopSignal } from '../train/interrupted.js';
import type { QueueAddress } from './address.js';
import { bullConnection, QUEUE_NAME, redisOptions, shutDown, watchQueue } from './connection.js';
import { datasetContentHash } from './dataset-hash.js';
import { gridOfJobId } from './grid.js';
import { decodeFailure, encodeFailure, parseRunPayload, type RunOutput, type RunPayload, type RunProgress } from './payload.js';
import { RunEnded, RunProcess } from './run-process.js';
import { fetchRun, storeRun } from './run-store.js';
import type { QueueSettings } from './settings.js';

export interface QueueWorkerOptions {
  concurrency: number;
  settings: QueueSettings;
  /** Set (from a signal handler) to stop: runs in progress stop at their next step and go back to the queue. */
  stop: StopSignal;
  log(line: string): void;
}

/** A run that stalls (its worker died or lost Redis) this many times is failed rather than retried forever. */
const MAX_STALLS = 3;

/** A job that fails for good: no retry would help (a bad payload, another dataset, a user error). */
function refuse(message: string, code: string | null): UnrecoverableError {
  return new UnrecoverableError(encodeFailure(message, code));
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** This worker's lock on a run expired (Redis was away too long) and the run is another worker's now. */
class LostJob extends Error {
  constructor(label: string) {
    super(`${label}: no longer this worker's (its lock expired while Redis was away); another worker resumes it from its last stored checkpoint`);
  }
}

/** "naive seed 0", or the job's id when its payload does not say. */
function runLabel(job: BullJob): string {
  const data = job.data as { name?: unknown; config?: { seed?: unknown } } | null;
  return typeof data?.name === 'string' && typeof data.config?.seed === 'number' ? `${data.name} seed ${data.config.seed}` : `job ${job.id ?? '?'}`;
}

export async function runQueueWorker(address: QueueAddress, options: QueueWorkerOptions): Promise<void> {
  const { settings, log } = options;
  const name = `${hostname()}:${process.pid}`;
  const watch = watchQueue(address, settings.timeoutMs);
  try {
    await watch.ready;
  } catch (err) {
    await watch.close();
    throw err;
  }
  const redis = new Redis(address.url, redisOptions());
  redis.on('error', () => undefined);
  const idle: RunProcess[] = [];
  const busy = new Set<RunProcess>();
  /**
   * An idle child for a run on `dataDir`. A child keeps the datasets it loaded: one that loaded other
   * contents of this folder (the files changed since) is ended, and a fresh one loads them anew.
   */
  const take = (dataDir: string, hash: string): RunProcess => {
    for (const stale of idle.filter((p) => (p.datasets.get(dataDir) ?? hash) !== hash)) {
      stale.kill();
      idle.splice(idle.indexOf(stale), 1);
    }
    const proc = idle.pop() ?? new RunProcess();
    proc.datasets.set(dataDir, hash);
    return proc;
  };

  const trainRun = async (bullJob: BullJob, token: string | undefined): Promise<RunOutput> => {
    const id = bullJob.id!;
    let payload: RunPayload;
    try {
      payload = parseRunPayload(bullJob.data, id);
    } catch (err) {
      throw refuse(messageOf(err), isUserError(err) ? err.code : null);
    }
    const label = `${payload.name} seed ${payload.config.seed}`;
    const dataDir = resolveDatasetDir(payload.data);
    let hash: string;
    try {
      hash = await datasetContentHash(dataDir);
    } catch (err) {
      throw refuse(`${label}: worker ${name} cannot read the dataset '${payload.data}' (${dataDir}): ${messageOf(err)}`, 'bad_data');
    }
    if (hash !== payload.dataHash) {
      throw refuse(`${label}: worker ${name} refused the run: its copy of the dataset '${payload.data}' (${dataDir}) differs from the coordinator's (content hash ${hash.slice(0, 12)} here, ${payload.dataHash.slice(0, 12)} there); give every worker the same files`, 'bad_data');
    }
    const dir = await mkdtemp(join(tmpdir(), 'gblend-queue-'));
    const files = { checkpoint: join(dir, 'run.ckpt'), log: join(dir, 'runs', `${runName(payload.name, payload.config.seed)}.jsonl`) };
    const proc = take(dataDir, hash);
    busy.add(proc);
    // Progress in order, and never an error that stops the run: it only feeds the coordinator's display.
    let reported = Promise.resolve();
    const report = (p: RunProgress): void => void (reported = reported.then(() => bullJob.updateProgress(p)).catch(() => undefined));
    try {
      const resumedAt = await fetchRun(redis, id, files);
      const waited = ((Date.now() - bullJob.timestamp) / 1000).toFixed(3);
      log(`${label} (grid ${gridOfJobId(id)}): ${resumedAt === null ? 'starts' : `resumes at epoch ${resumedAt} from its checkpoint on the queue`} (queued ${waited} s before)`);
      const job: Job = {
        index: payload.index, name: payload.name, config: payload.config, dataDir, resume: true, backend: payload.backend,
        files: { ...files, result: null },
      };
      const lockKey = `${worker.toKey(id)}:lock`;
      const result = await proc.run(job, {
        onEvent: (event) => report({ kind: 'event', event }),
        onProgress: (progress) => report({ kind: 'progress', progress }),
        onCheckpoint: async () => {
          if (!(await storeRun(redis, id, lockKey, token ?? '', files))) throw new LostJob(label);
        },
      });
      await reported;
      log(`${label}: done in ${result.seconds.toFixed(1)} s`);
      return { result, log: await readFile(files.log, 'utf8') };
    } catch (err) {
      await reported;
      if (err instanceof RunEnded && err.interrupted) {
        // Stopped on request (Ctrl-C): back to the queue, for this or another worker to take up.
        await bullJob.moveToWait(token);
        log(`${label}: stopped; back on the queue, to resume from its last checkpoint`);
        throw new WaitingError();
      }
      // The run's checkpoint is this worker's temporary copy of the one on the queue (a diverged run keeps it).
      if (err instanceof RunEnded) throw refuse(`${label}: ${messageOf(err).replace(` in ${files.checkpoint}`, ' on the queue')} (on worker ${name})`, err.code);
      throw err;
    } finally {
      busy.delete(proc);
      if (proc.alive) idle.push(proc);
      await rm(dir, { recursive: true, force: true });
    }
  };

  const processRun = async (bullJob: BullJob, token: string | undefined): Promise<RunOutput> => {
    try {
      return await trainRun(bullJob, token);
    } catch (err) {
      if (err instanceof LostJob) log(err.message);
      else if (!(err instanceof WaitingError)) log(`${runLabel(bullJob)}: failed: ${address.redact(decodeFailure(messageOf(err)).message)}`);
      throw err;
    }
  };

  const worker = new Worker(QUEUE_NAME, processRun, {
    connection: bullConnection(address), concurrency: options.concurrency, name, autorun: false,
    lockDuration: settings.lockMs, stalledInterval: settings.lockMs, maxStalledCount: MAX_STALLS,
  });
  let lastError = '';
  worker.on('error', (err) => {
    // The same connection error repeats at every reconnection attempt: say it once.
    const text = address.redact(messageOf(err));
    if (text !== lastError) log(`queue: ${text}`);
    lastError = text;
  });
  worker.on('ready', () => void (lastError = ''));
  log(`worker ${name}: taking runs from ${address.shown} (${options.concurrency} at a time)`);

  let stopping = false;
  const stopWatch = setInterval(() => {
    if (!options.stop.stopped || stopping) return;
    stopping = true;
    log(`worker ${name}: stopping; the runs in progress go back to the queue at their next step`);
    for (const proc of busy) proc.stop();
    void worker.close();
  }, 100);
  try {
    await Promise.race([worker.run(), watch.lost]);
  } finally {
    clearInterval(stopWatch);
    for (const proc of [...busy, ...idle]) proc.kill();
    await shutDown([{ close: () => worker.close(true), disconnect: () => worker.disconnect() }, { close: async () => redis.disconnect() }, watch]);
  }
}
