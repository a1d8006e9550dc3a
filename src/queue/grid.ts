/**
 * Names on the queue. A grid (one comparison) is known by a hash of its comparison key and its
 * dataset's content hash, so that the same command, run again, finds the same grid; each run's job id
 * is the grid's id and the run's name. Ids are deterministic: BullMQ adds a job whose id is already
 * on the queue as a no-op, so a restarted coordinator cannot enqueue a run twice.
 */
import { createHash } from 'node:crypto';
import { runName } from '../report/run-log.js';

export function gridId(comparisonKey: string, dataHash: string): string {
  return createHash('sha256').update(`${comparisonKey}\n${dataHash}`).digest('hex').slice(0, 16);
}

/** runName keeps [A-Za-z0-9_.-]: no ':', which BullMQ does not allow in custom ids. */
export function jobId(grid: string, method: string, seed: number): string {
  return `${grid}.${runName(method, seed)}`;
}

export const gridOfJobId = (id: string): string => id.slice(0, id.indexOf('.'));

/** Where a run in progress keeps its last checkpoint and its run log up to it (src/queue/run-store.ts). */
export const runStoreKey = (id: string): string => `gblend:run:${id}`;
export const RUN_STORE_PATTERN = 'gblend:run:*';
