/**
 * Where a queued run in progress keeps its last checkpoint and its run log up to that checkpoint: in
 * Redis, one hash per job (checkpoint, log), because Redis is the one thing every worker of a grid is
 * sure to reach (a shared folder would be a second thing to set up on every machine, and a local one is
 * lost with its machine). A worker copies both in after each checkpoint, in one step, and only while it
 * still holds the job's lock: a worker that lost the job (its lock expired while Redis was away and
 * another worker took it) can never write over the newer checkpoint of the run's new owner.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Redis } from 'ioredis';
import { PARTIAL_SUFFIX } from '../io/atomic.js';
import { decodeRunState } from '../train/checkpoint-file.js';
import { runStoreKey } from './grid.js';

/** Where the run's files live on the worker: the checkpoint, and the log (written as <log>.partial). */
export interface LocalRunFiles {
  checkpoint: string;
  log: string;
}

/** Saves both only if KEYS[1] (the job's lock) still holds ARGV[1] (this worker's token). */
const FENCED_SAVE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], 'checkpoint', ARGV[2], 'log', ARGV[3])
return 1`;

/** Copies the run's stored checkpoint and log to `files`; returns the epoch it resumes at, or null (none stored). */
export async function fetchRun(redis: Redis, id: string, files: LocalRunFiles): Promise<number | null> {
  const [checkpoint, log] = await redis.hmgetBuffer(runStoreKey(id), 'checkpoint', 'log');
  if (!checkpoint || !log) return null;
  await mkdir(dirname(files.log), { recursive: true });
  await writeFile(`${files.log}${PARTIAL_SUFFIX}`, log);
  await writeFile(files.checkpoint, checkpoint);
  return decodeRunState(checkpoint, `the checkpoint of job '${id}' on the queue`).epoch;
}

/**
 * Stores the checkpoint just written and the log up to it (the run is paused there, so the log ends
 * where the checkpoint says). False: this worker no longer holds the job.
 */
export async function storeRun(redis: Redis, id: string, lockKey: string, token: string, files: LocalRunFiles): Promise<boolean> {
  const checkpoint = await readFile(files.checkpoint);
  const log = await readFile(`${files.log}${PARTIAL_SUFFIX}`);
  return (await redis.eval(FENCED_SAVE, 2, lockKey, runStoreKey(id), token, checkpoint, log)) === 1;
}

export async function forgetRuns(redis: Redis, ids: string[]): Promise<void> {
  if (ids.length > 0) await redis.del(...ids.map(runStoreKey));
}
