/**
 * The queue's timings. The defaults suit a grid of runs of minutes; tests and impatient users shorten
 * them through environment variables (not flags: every process of a grid, coordinator and workers
 * alike, should agree on them, and an environment is what a service manager sets for all of them).
 */
import { ConfigError } from '../config/load.js';

export interface QueueSettings {
  /**
   * How long a worker's claim on a job lasts without renewal (renewed at half of it while the job runs).
   * A killed worker's job goes to another after this, plus up to one stall check (as often as this).
   */
  lockMs: number;
  /** How long Redis may stay away before a coordinator or worker gives up with an error. */
  timeoutMs: number;
}

export const LOCK_ENV = 'GBLEND_QUEUE_LOCK_MS';
export const TIMEOUT_ENV = 'GBLEND_QUEUE_TIMEOUT_MS';

function positiveMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n < 100) {
    throw new ConfigError('environment', name, `${name}: must be a whole number of milliseconds, at least 100, got '${raw}'`);
  }
  return n;
}

export function queueSettings(env: NodeJS.ProcessEnv = process.env): QueueSettings {
  return { lockMs: positiveMs(env, LOCK_ENV, 30_000), timeoutMs: positiveMs(env, TIMEOUT_ENV, 60_000) };
}
