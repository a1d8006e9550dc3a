/** Taking a grid, or every gblend job, off the queue: the jobs and the checkpoints stored for them. */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { RUN_STORE_PATTERN, runStoreKey } from './grid.js';

/** Every state a job that is not running can be in; active jobs are their workers'. */
const SETTLED = ['completed', 'failed', 'waiting', 'delayed', 'prioritized'] as const;

/** Removes a finished grid's jobs and stored checkpoints (`grid`: its id; null: every grid). */
export async function removeGrid(queue: Queue, redis: Redis, grid: string | null): Promise<number> {
  const jobs = (await queue.getJobs([...SETTLED])).filter((j) => j?.id !== undefined && (grid === null || j.id.startsWith(`${grid}.`)));
  for (const job of jobs) await queue.remove(job.id!);
  const keys = grid === null ? await allKeys(redis, RUN_STORE_PATTERN) : jobs.map((j) => runStoreKey(j.id!));
  if (keys.length > 0) await redis.del(...keys);
  return jobs.length;
}

async function allKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}
