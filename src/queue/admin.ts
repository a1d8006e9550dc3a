/** `gblend queue status|clean`: what the queue holds, by grid and state, and wiping it. */
import { Queue, type JobType } from 'bullmq';
import { Redis } from 'ioredis';
import type { QueueAddress } from './address.js';
import { bullConnection, QUEUE_NAME, redisOptions, shutDown, watchQueue } from './connection.js';
import { gridOfJobId } from './grid.js';
import { removeGrid } from './grid-cleanup.js';
import { decodeFailure, isRunProgress } from './payload.js';
import type { QueueSettings } from './settings.js';

export type RunState = 'running' | 'waiting' | 'failed' | 'finished';

export interface QueuedRun {
  grid: string;
  /** "naive seed 0", from the payload; the job id when the payload is not a run's. */
  run: string;
  state: RunState;
  /** The worker (host:pid) that runs it or last ran it. */
  worker: string | null;
  /** Running: the epoch of its last report; failed: why. */
  detail: string | null;
}

const STATES: Record<RunState, JobType[]> = {
  running: ['active'],
  waiting: ['waiting', 'delayed', 'prioritized', 'waiting-children'],
  failed: ['failed'],
  finished: ['completed'],
};

/** Opens the queue for one command, with the same bounded wait for Redis as everything else. */
async function withQueue<T>(address: QueueAddress, settings: QueueSettings, use: (queue: Queue, redis: Redis) => Promise<T>): Promise<T> {
  const watch = watchQueue(address, settings.timeoutMs);
  const queue = new Queue(QUEUE_NAME, { connection: bullConnection(address) });
  const redis = new Redis(address.url, redisOptions());
  queue.on('error', () => undefined);
  redis.on('error', () => undefined);
  try {
    await watch.ready;
    return await Promise.race([use(queue, redis), watch.lost]);
  } finally {
    await shutDown([queue, { close: async () => redis.disconnect() }, watch]);
  }
}

function describe(job: { id?: string | undefined; data: unknown; progress: unknown; processedBy?: string | undefined; failedReason?: string }, state: RunState): QueuedRun {
  const data = job.data as { name?: unknown; config?: { seed?: unknown; epochs?: unknown } } | null;
  const id = job.id ?? '?';
  const run = typeof data?.name === 'string' && typeof data.config?.seed === 'number' ? `${data.name} seed ${data.config.seed}` : id;
  let detail: string | null = null;
  if (state === 'failed') detail = decodeFailure(job.failedReason ?? '').message;
  else if (state === 'running' && isRunProgress(job.progress)) {
    const p = job.progress;
    const epoch = p.kind === 'progress' ? p.progress.epoch : p.event.event === 'epoch' ? p.event.epoch : null;
    if (epoch !== null) detail = `epoch ${epoch}/${String(data?.config?.epochs ?? '?')}`;
  }
  return { grid: gridOfJobId(id), run, state, worker: job.processedBy ?? null, detail };
}

export async function queueStatus(address: QueueAddress, settings: QueueSettings): Promise<QueuedRun[]> {
  return withQueue(address, settings, async (queue) => {
    const runs: QueuedRun[] = [];
    for (const [state, types] of Object.entries(STATES) as [RunState, JobType[]][]) {
      for (const job of await queue.getJobs(types)) if (job) runs.push(describe(job, state));
    }
    return runs;
  });
}

/** Removes every job from the queue, running ones too (their workers drop them), and every stored checkpoint. */
export async function cleanQueue(address: QueueAddress, settings: QueueSettings): Promise<{ removed: number; running: number }> {
  return withQueue(address, settings, async (queue, redis) => {
    const running = (await queue.getJobs(['active'])).length;
    const removed = await removeGrid(queue, redis, null);
    await queue.obliterate({ force: true });
    return { removed: removed + running, running };
  });
}
